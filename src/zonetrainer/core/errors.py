"""The base of every error the user must read.

The CLI prints ``str(error)`` on one line, with no traceback.
"""


class UserError(Exception):
    """A problem the user can act on (bad input, missing device, unwritable file, ...)."""
