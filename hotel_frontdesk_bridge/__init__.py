if __name__.startswith("odoo.addons."):
    from . import models
