"""Entry point of the frozen bundle: the same `vanthu` as from source (the window without arguments, the CLI
with them). PyInstaller starts here; see installer/vanthu.spec."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
