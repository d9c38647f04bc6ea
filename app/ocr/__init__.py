"""Text recognition of scans and photos (Tesseract 5, Vietnamese model), offline: the one package that runs it."""

from app.ocr.engine import OcrUnavailable, tesseract_status
from app.ocr.recognize import OcrPage, OcrText, read_scan

__all__ = ["OcrPage", "OcrText", "OcrUnavailable", "read_scan", "tesseract_status"]
