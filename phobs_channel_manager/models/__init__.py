from . import phobs_backend
