"""Electronic signatures of PDF documents (NĐ 30 Điều 21): checking them offline, and the agency's own signing.

pyHanko and pyhanko-certvalidator are imported here and nowhere else in the app."""

import warnings

from cryptography.utils import CryptographyDeprecationWarning

# pyHanko imports cryptography's DSA module, which warns on import; the clerk's console is not the place for it.
warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning, module=r"pyhanko\..*")

import logging  # noqa: E402

# fontTools reports each table it leaves out of the embedded subset ("FFTM NOT subset"): nothing to act on.
logging.getLogger("fontTools").setLevel(logging.ERROR)
