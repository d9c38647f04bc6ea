"""Command-line interface: argparse commands that call registry.<part>.<verb> (never PySide6, never SQL)."""
