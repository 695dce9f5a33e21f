"""Orders and contracts as documents: declension checked by hand, generated DOCX/PDF read
back, an organization's own template used and a hostile one refused."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from pypdf import PdfReader
from pytrovich.enums import Gender

from detsad.movement import selectors, services
from detsad.movement.documents.contracts import contract_docx, contract_pdf
from detsad.movement.documents.declension import decline_name, group_in, years_phrase
from detsad.movement.documents.orders import order_docx, order_pdf
from detsad.movement.models import DocumentTemplate
from detsad.people.models import Sex

from .helpers import D, add_mother, new_child, order


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def make_docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "gender", "case", "expected"),
    [
        (("Иванов", "Иван", "Иванович"), Gender.MALE, "acc", "Иванова Ивана Ивановича"),
        (("Иванов", "Иван", "Иванович"), Gender.MALE, "gen", "Иванова Ивана Ивановича"),
        (("Петрова", "Мария", "Сергеевна"), Gender.FEMALE, "acc", "Петрову Марию Сергеевну"),
        (("Петрова", "Мария", "Сергеевна"), Gender.FEMALE, "gen", "Петровой Марии Сергеевны"),
        (("Сидоров", "Пётр", "Андреевич"), Gender.MALE, "acc", "Сидорова Петра Андреевича"),
        (("Ильин", "Илья", "Кузьмич"), Gender.MALE, "acc", "Ильина Илью Кузьмича"),
        (("Шевчук", "Анна", "Олеговна"), Gender.FEMALE, "acc", "Шевчук Анну Олеговну"),
        (("Шевчук", "Андрей", "Олегович"), Gender.MALE, "acc", "Шевчука Андрея Олеговича"),
        (("Толстая", "Любовь", "Ильинична"), Gender.FEMALE, "acc", "Толстую Любовь Ильиничну"),
        (("Кузнецова", "Ольга", "Игоревна"), Gender.FEMALE, "gen", "Кузнецовой Ольги Игоревны"),
        (("Сидоров", "Пётр", ""), Gender.MALE, "acc", "Сидорова Петра"),
    ],
)
def test_names_declined_by_hand(name, gender, case, expected):
    assert decline_name(*name, gender, case) == expected


def test_group_titles(world):
    sun, rainbow = world.a.groups["sun"], world.a.groups["rainbow"]
    assert group_in(sun, "acc", orientation=True) == (
        "младшую группу «Солнышко» общеразвивающей направленности"
    )
    assert group_in(rainbow, "gen") == "старшей группы «Радуга»"
    assert [years_phrase(n) for n in (1, 2, 4, 5, 11, 21, 22)] == [
        "1 год",
        "2 года",
        "4 года",
        "5 лет",
        "11 лет",
        "21 год",
        "22 года",
    ]


def _mass_enrollment(world):
    """One order enrolling a boy and a girl into «Радуга» on 12.01.2026."""
    a = world.a
    hr = a.actor("hr")
    boy = new_child(a, "Кузнецов", "Артём", "Олегович", Sex.MALE, D(2020, 10, 3))
    girl = new_child(a, "Шевчук", "Анна", "Олеговна", Sex.FEMALE, D(2020, 12, 24))
    mother = add_mother(girl, "Шевчук", "Ирина", "Петровна")
    contract = services.contract_create(
        actor=hr,
        child=girl,
        number="15",
        date=D(2026, 1, 9),
        guardian=mother,
        group=a.groups["rainbow"],
    )
    o = order(hr, a, "2-в", D(2026, 1, 9))
    services.children_enroll(
        actor=hr,
        children=[boy, girl],
        group=a.groups["rainbow"],
        on=D(2026, 1, 12),
        order=o,
        referrals={girl.pk: ("Н-0042", D(2025, 12, 20))},
        contracts={girl.pk: contract},
    )
    return o, list(selectors.order_events(hr, o)), contract


def test_enrollment_order_docx_reads_back(world):
    o, events, _contract = _mass_enrollment(world)
    text = docx_text(order_docx(o, events))
    assert "Детский сад A" in text
    assert "ПРИКАЗ" in text and "№ 2-в" in text and "09.01.2026" in text
    assert "О зачислении воспитанников" in text
    assert (
        "1. Зачислить Кузнецова Артёма Олеговича, 03.10.2020 г. р., в старшую группу «Радуга» "
        "общеразвивающей направленности с 12.01.2026." in text
    )
    assert (
        "2. Зачислить Шевчук Анну Олеговну, 24.12.2020 г. р., в старшую группу «Радуга» "
        "общеразвивающей направленности с 12.01.2026." in text
    )
    assert (
        "Основание: заявление родителя (законного представителя), договор об образовании № 15 "
        "от 09.01.2026, направление № Н-0042 от 20.12.2025." in text
    )
    assert "3. Контроль за исполнением приказа оставляю за собой." in text


def test_enrollment_order_pdf_reads_back(world):
    o, events, _contract = _mass_enrollment(world)
    data = order_pdf(o, events)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Зачислить Кузнецова Артёма Олеговича" in text
    assert "Зачислить Шевчук Анну Олеговну" in text
    assert "ПРИКАЗЫВАЮ" in text


def test_withdrawal_and_transfer_order_texts(world):
    a = world.a
    hr = a.actor("hr")
    o = order(hr, a, "40-о", D(2026, 5, 25), "withdraw")
    services.child_withdraw(
        actor=hr,
        child=a.children["c2"],
        on=D(2026, 5, 31),
        order=o,
        reason="moved",
        destination="г. Армавир",
    )
    text = docx_text(order_docx(o, list(selectors.order_events(hr, o))))
    assert (
        "1. Отчислить Петрову Марию Сергеевну, 14.07.2022 г. р., из младшей группы «Солнышко» "
        "в связи с переменой места жительства; последний день пребывания — 31.05.2026. "
        "Выбыла: г. Армавир." in text
    )
    t = order(hr, a, "3-п", D(2026, 1, 14), "transfer")
    services.child_transfer(
        actor=hr, child=a.children["c1"], group=a.groups["rainbow"], on=D(2026, 1, 15), order=t
    )
    text = docx_text(order_docx(t, list(selectors.order_events(hr, t))))
    assert (
        "1. Перевести Иванова Ивана Ивановича, 05.03.2022 г. р., из младшей группы «Солнышко» "
        "в старшую группу «Радуга» с 15.01.2026." in text
    )


def test_signed_order_shows_the_signature(world):
    o, _events, _contract = _mass_enrollment(world)
    services.order_sign(actor=world.a.actor("head"), order=o)
    o.refresh_from_db()
    text = docx_text(order_docx(o, list(selectors.order_events(world.a.actor("hr"), o))))
    assert "Подписан" in text and "head A" in text


def test_contract_docx_and_pdf(world):
    world.a.org.address = (
        "352140, Краснодарский край, Кавказский район, ст. Кавказская, ул. Ленина, д. 1"
    )
    world.a.org.save()
    _o, _events, contract = _mass_enrollment(world)
    text = docx_text(contract_docx(contract))
    assert "ДОГОВОР № 15" in text
    assert "«09» января 2026 г." in text
    assert "Шевчук Ирина Петровна, именуемая в дальнейшем «Заказчик», действующая" in text
    assert "в интересах несовершеннолетней Шевчук Анны Олеговны, 24.12.2020 года рождения" in text
    assert "проживающей по адресу: 352140, Краснодарский край, ст. Кавказская" in text
    # born 24.12.2020 → 6½ years on 24.06.2027 → school 01.09.2027; signed 09.01.2026
    assert "на момент подписания настоящего Договора составляет 1 год 7 месяцев." in text
    assert "1.5. Режим пребывания Воспитанника в образовательной организации: полного дня" in text
    assert "1.6. Воспитанник зачисляется в группу общеразвивающей направленности." in text
    assert text.split("\n")[2].startswith("ст. Кавказская")  # place: the town of the address
    text_pdf = pdf_text(contract_pdf(contract))
    assert "Шевчук Анны Олеговны" in text_pdf and "Детский сад A" in text_pdf


@pytest.mark.parametrize(
    ("birth", "signed", "term"),
    [
        (D(2022, 3, 5), D(2025, 9, 1), "4 года"),
        (D(2020, 12, 24), D(2026, 1, 9), "1 год 7 месяцев"),
        (D(2021, 2, 28), D(2026, 9, 1), "1 год"),  # 6½ on 28.08.2027 → school 2027
        (D(2021, 3, 2), D(2026, 9, 1), "2 года"),  # 6½ on 02.09.2027 → school 2028
        (D(2020, 1, 10), D(2026, 7, 1), "2 месяца"),  # school 01.09.2026
    ],
)
def test_study_term(birth, signed, term):
    child = type("C", (), {"birth_date": birth})()
    assert services.study_term_for(child, signed) == term


def test_contract_number_unique_per_year(world):
    a = world.a
    hr = a.actor("hr")
    services.contract_create(actor=hr, child=a.children["c1"], number="5", date=D(2025, 8, 20))
    with pytest.raises(ValidationError) as info:
        services.contract_create(actor=hr, child=a.children["c2"], number="5", date=D(2025, 12, 1))
    assert "Договор № 5 за 2025 год уже есть" in str(info.value)
    with pytest.raises(ValidationError) as info:
        services.contract_create(
            actor=hr,
            child=a.children["c2"],
            number="6",
            date=D(2025, 12, 1),
            guardian=a.guardians["c1"],
        )
    assert "не указан(а) среди родителей ребёнка" in str(info.value)


class TestOwnTemplates:
    def test_uploaded_template_replaces_ours(self, world):
        o, events, _contract = _mass_enrollment(world)
        a = world.a
        content = make_docx(
            "МОЙ ПРИКАЗ {{ order.number }} ({{ org.short_name }})",
            "{% for item in items %}{{ item.n }}) {{ item.child_acc }} — {{ item.group_acc }};{% endfor %}",
        )
        services.document_template_upload(
            actor=a.actor("coordinator"),
            organization=a.org,
            kind=DocumentTemplate.Kind.ORDER_ENROLL,
            filename="наш приказ.docx",
            content=content,
        )
        text = docx_text(order_docx(o, events))
        assert "МОЙ ПРИКАЗ 2-в (ДОО A)" in text
        assert "1) Кузнецова Артёма Олеговича — старшую группу «Радуга»;" in text
        # Other kinds and other kindergartens keep ours.
        assert DocumentTemplate.objects.filter(organization=world.b.org).count() == 0

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"not a zip", "Это не файл DOCX"),
            (make_docx("{{ order.number "), "Шаблон не удалось заполнить"),
            (
                make_docx("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
                "Шаблон не удалось заполнить",
            ),
            (make_docx("{{ cycler.__init__.__globals__ }}"), "Шаблон не удалось заполнить"),
        ],
    )
    def test_bad_or_hostile_templates_are_refused(self, world, content, message):
        a = world.a
        with pytest.raises(ValidationError) as info:
            services.document_template_upload(
                actor=a.actor("coordinator"),
                organization=a.org,
                kind=DocumentTemplate.Kind.ORDER_ENROLL,
                filename="x.docx",
                content=content,
            )
        assert message in " ".join(info.value.messages)
        assert not DocumentTemplate.objects.filter(organization=a.org).exists()


def test_a_zip_bomb_template_is_refused(world):
    import zipfile

    buffer = io.BytesIO(make_docx("{{ order.number }}"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", b"\0" * (41 * 1024 * 1024))
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as info:
        services.document_template_upload(
            actor=world.a.actor("coordinator"),
            organization=world.a.org,
            kind=DocumentTemplate.Kind.CONTRACT,
            filename="bomb.docx",
            content=buffer.getvalue(),
        )
    assert "слишком велик в распакованном виде" in " ".join(info.value.messages)
