"""The desktop interface (PySide6 only here); it reaches the register through registry.<part>.<verb> only."""
