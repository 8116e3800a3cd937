"""Paper that is not an ID card but carries what an ID card reader looks for: printed pages
(letters, contracts, forms with 姓名 and 18-digit numbers) and shop receipts (item lines,
prices, dates, long order numbers). Content is drawn from the rng in mm first, then set at
whatever resolution the photo needs."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from idcard_ocr.card.regions import current_counties
from idcard_ocr.synth.addresses import generate_address
from idcard_ocr.synth.fonts import bold_faces, cjk_faces
from idcard_ocr.synth.names import generate_person
from idcard_ocr.synth.text import TypeStyle, draw_text, text_width

Picture = NDArray[np.uint8]
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Line:
    """One line of print: text from x, centred on y, at cap height `cap` (all mm)."""

    text: str
    x: float
    y: float
    cap: float
    width: float | None = None  # condensed to fit this width
    bold: bool = False
    centred: bool = False  # centred in `width`


@dataclass(frozen=True)
class Document:
    """A flat thing to photograph: its size in mm and how to draw it at a resolution."""

    size_mm: tuple[float, float]
    draw: Callable[[float], tuple[Picture, Picture]]  # px per mm -> (BGR image, alpha mask)


_TITLES = (
    "关于2024年度工作安排的通知",
    "房屋租赁合同",
    "会议纪要",
    "个人信息登记表",
    "收款收据",
    "购销合同",
    "入职登记表",
    "授权委托书",
    "情况说明",
    "费用报销单",
)
_PHRASES = (
    "根据公司相关规定",
    "经双方协商一致",
    "现将有关事项通知如下",
    "请于规定时间内办理",
    "本合同自签订之日起生效",
    "甲方应按时支付款项",
    "乙方负责日常维护",
    "如有疑问请联系",
    "逾期未办理的视为自动放弃",
    "特此证明",
    "上述费用已全部结清",
    "请各部门认真落实",
    "本人承诺所填信息真实有效",
    "联系人",
    "开户银行",
    "账号",
    "金额大写",
    "备注",
)
_ITEMS = (
    "矿泉水",
    "可口可乐",
    "全麦面包",
    "纯牛奶",
    "鸡蛋",
    "红富士苹果",
    "洗衣液",
    "抽纸",
    "方便面",
    "酸奶",
    "薯片",
    "大米5kg",
    "食用油",
    "香蕉",
    "酱油",
    "牙膏",
    "口香糖",
    "火腿肠",
)
_SHOPS = ("超市", "便利店", "生活超市", "餐厅", "大药房", "水果店")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _number(rng: random.Random) -> str:
    """A date, an amount, an 18-digit number, a phone number or a count, as pages print them."""
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.randint(1990, 2025)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    if kind == 1:
        return f"{rng.randint(1, 99999):,}.{rng.randrange(100):02d}元"
    if kind == 2:
        return rng.choice("123456") + _digits(rng, 16) + rng.choice("0123456789X")
    if kind == 3:
        return "1" + rng.choice("3578") + _digits(rng, 9)
    if kind == 4:
        return f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return str(rng.randint(2, 500))


def _prose(rng: random.Random, chars: int) -> str:
    """A line of phrases and numbers, cut to `chars` characters."""
    text = ""
    while len(text) < chars:
        text += rng.choice(_PHRASES) + rng.choice(("，", "：", "")) + _number(rng) + "；"
    return text[:chars]


def _form(rng: random.Random) -> list[str]:
    """The fields of a registration form, with the words and numbers an ID card has."""
    person = generate_person(rng)
    region = rng.choice(current_counties())
    return [
        f"姓名：{person.name}    性别：{person.sex}    民族：{person.nation}",
        f"出生日期：{rng.randint(1950, 2005)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        f"身份证号码：{region.code}{_digits(rng, 11)}{rng.choice('0123456789X')}",
        f"住址：{generate_address(rng, region.name)}",
        f"联系电话：1{rng.choice('3578')}{_digits(rng, 9)}",
    ]


def random_page(rng: random.Random) -> Document:
    """A printed page: a title, lines of prose with numbers, sometimes a form's fields."""
    width = rng.uniform(120, 210)
    height = width * rng.uniform(0.7, 1.4)
    margin, cap = rng.uniform(10, 20), rng.uniform(2.8, 3.8)
    pitch = cap * rng.uniform(1.7, 2.2)
    chars = int((width - 2 * margin) / (cap * 1.15))
    inner = width - 2 * margin
    lines = [Line(rng.choice(_TITLES), margin, margin + cap, cap * 1.5, inner, True, True)]
    texts = _form(rng) if rng.random() < 0.4 else []
    y = margin + cap * 1.5 + pitch * 1.5
    while y < height - margin:
        text = texts.pop(0)[:chars] if texts else _prose(rng, rng.randint(chars // 2, chars))
        indent = cap * 2.3 if rng.random() < 0.2 else 0
        lines.append(Line(text, margin + indent, y, cap, inner - indent))
        y += pitch
    paper = _shade(rng, 238, 252)
    ink = _shade(rng, 15, 50)
    return Document(
        (width, height), lambda ppm: _draw_paper((width, height), lines, paper, ink, ppm)
    )


def random_receipt(rng: random.Random) -> Document:
    """A till receipt: shop, order number, date, item lines with prices, total, thanks."""
    width = rng.choice((57.0, 80.0)) + rng.uniform(-1, 1)
    cap, margin = rng.uniform(2.2, 2.8), rng.uniform(3, 5)
    pitch = cap * rng.uniform(1.6, 2.0)
    inner = width - 2 * margin
    rows = _receipt_rows(rng, "-" * int(inner / (cap * 0.62)))
    shop = rng.choice(("华联", "永辉", "好又多", "百佳", "联华", "家乐")) + rng.choice(_SHOPS)
    lines = [Line(shop, margin, margin + cap, cap * 1.4, inner, True, True)]
    columns = (0.0, 0.45, 0.62, 0.8, 1.0)  # item, count, price, amount
    for i, row in enumerate(rows):
        y = margin + cap * 1.4 + pitch * (i + 1.5)
        for j, cell in enumerate(row):
            end = columns[j + 1] - 0.02 if len(row) > 1 else 1.0
            x = margin + inner * columns[j]
            lines.append(Line(cell, x, y, cap, inner * (end - columns[j])))
    height = margin + cap * 1.4 + pitch * (len(rows) + 2) + margin
    paper, ink = _shade(rng, 235, 250), _shade(rng, 40, 90)
    return Document(
        (width, height), lambda ppm: _draw_paper((width, height), lines, paper, ink, ppm)
    )


def _receipt_rows(rng: random.Random, rule: str) -> list[tuple[str, ...]]:
    """The receipt's rows below the shop's name, one tuple of column cells per row."""
    day = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    rows: list[tuple[str, ...]] = [
        ("欢迎光临",),
        (f"单号：{rng.randint(2019, 2025)}{_digits(rng, rng.randint(14, 18))}",),
        (f"日期：{day} {rng.randint(7, 22):02d}:{rng.randrange(60):02d}",),
        (f"收银员：{_digits(rng, 4)}",),
        (rule,),
        ("品名", "数量", "单价", "金额"),
    ]
    total = 0.0
    for _ in range(rng.randint(3, 10)):
        count, price = rng.randint(1, 5), rng.randint(150, 8999) / 100
        total += count * price
        rows.append((rng.choice(_ITEMS), str(count), f"{price:.2f}", f"{count * price:.2f}"))
    paid = total + rng.choice((0, rng.uniform(0, 50)))
    return [
        *rows,
        (rule,),
        (f"合计：{total:.2f}",),
        (f"实收：{paid:.2f}    找零：{paid - total:.2f}",),
        (f"电话：0{rng.randint(10, 999)}-{_digits(rng, 8)}",),
        ("谢谢惠顾，欢迎再次光临",),
    ]


def _shade(rng: random.Random, low: int, high: int) -> RGB:
    """A near-grey RGB colour between `low` and `high`."""
    base = rng.randint(low, high)
    return (base, base - rng.randint(0, 4), base - rng.randint(0, 8))


def _draw_paper(
    size_mm: tuple[float, float], lines: list[Line], paper: RGB, ink: RGB, ppm: float
) -> tuple[Picture, Picture]:
    """The sheet with its lines at `ppm` px per mm, as BGR, and its (rectangular) mask."""
    size = (round(size_mm[0] * ppm), round(size_mm[1] * ppm))
    canvas = Image.new("RGB", size, paper)
    for line in lines:
        faces = bold_faces() if line.bold else cjk_faces()
        style = TypeStyle(faces, line.cap * ppm, ink)
        x = line.x
        if line.centred and line.width is not None:
            x += max((line.width - text_width(line.text, style) / ppm) / 2, 0)
        width = None if line.width is None else line.width * ppm
        draw_text(canvas, line.text, x * ppm, line.y * ppm, style, width)
    bgr = np.ascontiguousarray(np.asarray(canvas, np.uint8)[..., ::-1])
    return bgr, np.full(bgr.shape[:2], 255, np.uint8)
