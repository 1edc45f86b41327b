from . import phobs_restriction_wizard
from . import phobs_ari_audit
from . import phobs_ari_audit_line
from . import phobs_conflict_resolve
