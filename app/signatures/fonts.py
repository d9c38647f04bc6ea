"""The Times face of the signature's text, embedded so that its widths are right in every viewer.

pyHanko 0.38 writes glyph widths and advances in the font's own units as if they were thousandths of an em; for
a TrueType face of 2048 units (Times New Roman, Liberation Serif) the letters come out twice as far apart. Here
the shaper works in thousandths and the widths are scaled to them, which is what the PDF text operators expect."""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

PDF_UNITS = 1000  # PDF glyph space: 1/1000 text space unit (ISO 32000-1, 9.2.4)


class _ThousandthsAccumulator(GlyphAccumulator):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._font_units = self.units_per_em
        self.hb_font.scale = (PDF_UNITS, PDF_UNITS)  # HarfBuzz advances in thousandths of an em
        self.units_per_em = PDF_UNITS

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        if glyph_id in self._glyphs:
            return self._glyphs[glyph_id]
        cid, width = super()._get_cid_and_width(glyph_id)
        self._glyphs[glyph_id] = result = cid, round(width * PDF_UNITS / self._font_units)
        return result


@dataclass(frozen=True)
class TimesFactory(GlyphAccumulatorFactory):
    """GlyphAccumulatorFactory whose accumulators measure in thousandths of an em (as its parent builds them)."""

    def create_font_engine(self, writer, obj_stream=None):  # type: ignore[no-untyped-def]
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return _ThousandthsAccumulator(
            writer=writer, font_handle=open(self.font_file, "rb"),  # noqa: SIM115 - the accumulator keeps it
            font_size=self.font_size, ot_script_tag=self.ot_script_tag, ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction, bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream)
