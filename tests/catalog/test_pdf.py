"""The one-time guide as PDF: a real PDF, Chinese text extractable, headers for download."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from onewindow.catalog.pdf import FONT
from tests.factories import (
    MaterialRequirementFactory,
    ProcessStepFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def food_licence():
    item = ServiceItemFactory(
        name="食品经营许可", legal_limit=20, promised_limit=5, promised_limit_note="现场核查后",
        conditions="有与经营的食品品种、数量相适应的经营场所。", visits_required=1,
        legal_basis="《中华人民共和国食品安全法》第三十五条",
    )
    MaterialRequirementFactory(item=item, name="食品经营许可申请书", copy_count=1,
                               template="catalog/templates/apply.docx")
    MaterialRequirementFactory(item=item, name="营业执照复印件", tolerance_allowed=True)
    ProcessStepFactory(item=item, order=1, name="现场核查", limit_days=2)
    return item


def _text(content: bytes) -> str:
    """All the text of a PDF with whitespace removed (lines wrap inside words)."""
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def _pdf(client, item):
    return client.get(reverse("catalog:item_pdf", args=[item.pk]))


def test_item_pdf_is_a_pdf_with_the_chinese_guide(client, food_licence):
    response = _pdf(client, food_licence)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    for expected in ["食品经营许可", "办事指南（一次告知）", "食品经营许可申请书", "营业执照复印件",
                     "可容缺", "20个工作日", "5个工作日（现场核查后）", "最多跑1次", "现场核查",
                     "有与经营的食品品种、数量相适应的经营场所。",
                     "《中华人民共和国食品安全法》第三十五条", "有空白表格或示例样表"]:
        assert expected in text, expected


def test_item_pdf_is_an_attachment_named_after_the_item(client, food_licence):
    response = _pdf(client, food_licence)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''" + quote("食品经营许可.pdf", safe=""))


def test_item_pdf_links_back_to_the_item_page_with_a_qr_code(client, food_licence, settings):
    settings.SITE_URL = "https://zwfw.example.gov.cn"
    content = _pdf(client, food_licence).content
    url = f"https://zwfw.example.gov.cn/catalog/items/{food_licence.pk}/"
    assert url in _text(content)
    assert PdfReader(io.BytesIO(content)).pages[0].images, "the QR code image is missing"


def test_item_pdf_numbers_its_pages(client, food_licence):
    for n in range(60):
        MaterialRequirementFactory(item=food_licence, name=f"补充材料第{n}号",
                                   description="请按要求提供加盖公章的材料。" * 3)
    reader = PdfReader(io.BytesIO(_pdf(client, food_licence).content))
    total = len(reader.pages)
    assert total > 1
    last = "".join(reader.pages[-1].extract_text().split())
    assert f"第{total}页，共{total}页" in last
    assert "补充材料第59号" in _text(_pdf(client, food_licence).content)


def test_item_pdf_keeps_markup_characters_as_text(client):
    item = ServiceItemFactory(name="A&B<测试>事项", conditions="条件一 <b>不是标签</b> & 其他")
    response = _pdf(client, item)
    text = _text(response.content)
    assert "A&B<测试>事项" in text
    assert "<b>不是标签</b>&其他" in text


def _right_edges(content: bytes) -> list[tuple[float, float]]:
    """(right end of each run of text, page width) for every page."""
    edges = []
    for page in PdfReader(io.BytesIO(content)).pages:
        width = float(page.mediabox.width)

        def visit(text, cm, tm, font_dict, font_size, width=width):
            if text.strip():
                scale = tm[0] * cm[0]
                text_width = pdfmetrics.stringWidth(text, FONT, font_size)
                right = tm[4] * cm[0] + cm[4] + text_width * scale
                edges.append((right, width))

        page.extract_text(visitor_text=visit)
    return edges


def test_item_pdf_wraps_long_chinese_text_inside_the_page(client):
    sentence = "申请人应当如实提交有关材料和反映真实情况，对申请材料实质内容的真实性负责。"
    item = ServiceItemFactory(name="长文本事项", conditions=sentence * 40)
    MaterialRequirementFactory(item=item, name="很长的材料名称" * 8, description=sentence * 3)
    ProcessStepFactory(item=item, name="审查", description=sentence * 4)
    content = _pdf(client, item).content
    assert _text(content).count(sentence) >= 40 + 3 + 4 - 1  # one may straddle a page break
    edges = _right_edges(content)
    assert edges
    assert all(right <= width - 9 * mm for right, width in edges), max(edges)


def test_item_pdf_unpublished_is_404(client):
    item = ServiceItemFactory(is_published=False)
    response = _pdf(client, item)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_item_pdf_unknown_is_404(client):
    response = client.get(reverse("catalog:item_pdf", args=[424242]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
