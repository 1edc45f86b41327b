# The Odoo side loads only when Odoo imports us as an addon; imported by its plain name (tests,
# tools, another framework) the package exposes just the framework-free `phobs_api`.
if __name__.startswith("odoo.addons."):
    from . import controllers
    from . import models
    from . import wizards
