"""The desktop interface (PySide6 only here); it talks to the Registry facade and shows plain records."""
