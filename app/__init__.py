"""Sổ Văn Thư: the records clerk's register of incoming and outgoing documents."""

__version__ = "0.1.0"
APP_NAME = "Sổ Văn Thư"
