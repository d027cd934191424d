"""The error tree, re-exported for `from agent.errors import X` users; it lives in `pagesight_errors`,
below every layer, so vision/ and browser/ raise the same classes without importing agent/."""

from pagesight_errors import *  # noqa: F403
from pagesight_errors import __all__  # noqa: F401
