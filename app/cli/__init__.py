"""Command-line interface: argparse commands that call the Registry facade (never PySide6, never SQL)."""
