"""Room type codes became scoped per Phobs property: types mapped before belong to the only
active property. With several, nobody can tell which hotel a type is in: staff choose."""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute("SELECT id FROM phobs_backend WHERE active")
    backends = cr.fetchall()
    if len(backends) == 1:
        cr.execute("""UPDATE hotel_room_type SET phobs_backend_id = %s
                       WHERE phobs_code IS NOT NULL AND phobs_backend_id IS NULL""", backends[0])
        return
    cr.execute("""SELECT name FROM hotel_room_type t JOIN product_category c
                      ON c.id = t.product_categ_id
                   WHERE t.phobs_code IS NOT NULL AND t.phobs_backend_id IS NULL""")
    orphans = [name for name, in cr.fetchall()]
    if orphans:
        _logger.warning("Room types %s have a Phobs code but no Phobs property: choose it on each "
                        "type, they are not distributed until then.", ", ".join(orphans))
