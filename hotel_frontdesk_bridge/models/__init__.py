from . import phobs_backend
from . import phobs_reservation
from . import hotel_room_type
from . import hotel_room
from . import hotel_reservation
from . import folio_room_line
from . import phobs_rate_plan
from . import phobs_restriction_wizard
