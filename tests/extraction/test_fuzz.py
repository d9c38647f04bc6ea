"""Property tests: random text, slices and shuffles of the samples never raise, stay linear, invent nothing."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extraction.extractor import _extract, extract
from app.extraction.records import Extraction
from tests.extraction.support import invented_references

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))] if SAMPLES.is_dir() else []
    texts += [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))] if DATA.is_dir() else []
    from tests.extraction.test_cases import BROKEN_OCR, BUNDLE, HOA_TOC, PARTY_CONG_VAN, QUYET_DINH

    return texts + [QUYET_DINH, PARTY_CONG_VAN, HOA_TOC, BROKEN_OCR, BUNDLE]


CORPUS = _corpus()
CORPUS_LINES = sorted({line for text in CORPUS for line in text.split("\n") if len(line) < 400})

# Pieces that drive the extractor's branches, to be mixed with random characters.
TOKENS = [
    "Số:", "Số", "số", "3646", "/", "-", "SYT-VP", "1737-TB/VPTU", "QĐ-UBND", "NĐ-CP", "/2020/", "ngày", "tháng",
    "năm", "2023", "24/10/23", "ĐẾN", "Đến số", "V/v", "Kính gửi:", "Nơi nhận:", "Lưu: VT", "KT.", "T/M", "K/T",
    "T/L", "TUQ.", "Q.", "CHỦ TỊCH", "GIÁM ĐỐC", "THÔNG BÁO", "QUYẾT ĐỊNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "ĐẢNG CỘNG SẢN VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND TỈNH TÂY NINH", "SỞ Y TẾ", "ỦY BAN NHÂN DÂN",
    "TỈNH ỦY", "HỎA TỐC", "MẬT", "KHẨN", "Thông báo số", "Công văn số", "của", "trước ngày", "Ký bởi:",
    "Cơ quan:", "Thời gian ký:", "2023-09-27T07:55:56Z", "+07:00", "[Chữ ký]", "(Đã ký)", "Trương Văn Hùng",
    "Nguyễn Thị Mai", "**", "*", "^{*}", "•", "./.", ";", ",", ".", ":", "\n", "\n\n", " ", "    ", "\t", "\r\n",
    "\u200b", "\ufeff", "ﬁ", "ß", "İ", "\u0301", "Ǆ",
]
texts_of_tokens = st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=120).map(" ".join)
mixed_lines = st.lists(st.sampled_from(CORPUS_LINES) | texts_of_tokens, max_size=60).map("\n".join)
any_text = st.text(max_size=600) | texts_of_tokens | mixed_lines

FAST = settings(max_examples=120, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(text: str) -> Extraction:
    result = Extraction()
    _extract(text, result)  # the unguarded reader: a bug must show here, not be swallowed by extract()
    assert isinstance(extract(text), Extraction)
    result.to_json(with_sources=True)
    for doc in result.documents:
        for name, line in doc.sources.items():
            assert 1 <= line <= text.count("\n") + text.count("\r") + 1 + text.count("\u2028") + 10, name
    return result


@FAST
@given(any_text)
def test_any_text_never_raises_and_invents_no_reference(text: str) -> None:
    result = _check(text)
    assert invented_references(result, text) == []


@pytest.mark.skipif(not CORPUS, reason="no sample texts")
@FAST
@given(st.sampled_from(CORPUS), st.integers(0, 40_000), st.integers(0, 40_000))
def test_slices_and_truncations_invent_no_reference(text: str, a: int, b: int) -> None:
    start, end = sorted((a % (len(text) + 1), b % (len(text) + 1)))
    for piece in (text[start:end], text[:end], text[start:]):
        result = _check(piece)
        assert invented_references(result, piece) == []


@pytest.mark.skipif(not CORPUS, reason="no sample texts")
@FAST
@given(st.sampled_from(CORPUS), st.randoms(use_true_random=False))
def test_line_shuffles_never_raise(text: str, rng: random.Random) -> None:
    lines = text.split("\n")
    rng.shuffle(lines)
    shuffled = "\n".join(lines)
    result = _check(shuffled)
    assert invented_references(result, shuffled) == []


def _best_time(text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        extract(text)
        best = min(best, time.perf_counter() - began)
    return best


def _sized(size: int) -> str:
    base = "\n".join(CORPUS) if CORPUS else "\n".join(TOKENS)
    return (base * (size // len(base) + 1))[:size]


def test_time_is_linear_and_200_kb_reads_quickly() -> None:
    small, large = _best_time(_sized(50_000)), _best_time(_sized(200_000))
    assert large < 2.0, f"200 KB took {large:.2f} s"
    assert large / max(small, 1e-3) < 8, f"50 KB: {small:.3f} s, 200 KB: {large:.3f} s: not linear"


@pytest.mark.parametrize("text", [
    "-" * 200_000,
    " " * 200_000,
    "Số  " * 50_000,
    "1/" * 100_000,
    "Thông báo số 1/A-" * 12_000,
    "Công văn số 1/A-B của " + "X " * 100_000,
    "ngày " * 40_000,
    "ỦY BAN NHÂN DÂN\n" * 12_000,
    "Nguyễn Văn An\n" * 15_000,
    "A" * 200_000,
    "SYT-" * 50_000,
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1/QĐ-UB\nNơi nhận:\nNguyễn Văn An\n" * 2_800,
    "- Như trên;\n" * 18_000,
    ("x" * 1000 + "\n") * 200,
], ids=lambda t: repr(t[:24]))
def test_adversarial_200_kb_inputs_stay_fast(text: str) -> None:
    assert _best_time(text, repeat=1) < 2.0
