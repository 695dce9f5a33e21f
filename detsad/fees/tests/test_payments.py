"""Bank files: the two samples give exactly the figures of samples/README.md, a second
import (or an overlapping file) credits nothing twice, faults are reported by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from detsad.fees import services
from detsad.fees.models import LedgerEntry, Payment
from detsad.fees.parsers import accounts_in_purpose, parse_registry, parse_statement_1c
from detsad.people.models import Child, PersonalAccount

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT.parent / "shared" / "samples"  # the shared folder next to the main checkout
DATA = ROOT / "tests" / "data"  # copies of the bank samples (tests/browser/conftest.py)
ACCOUNT = "03234643036160001800"


def sample(name: str) -> bytes:
    path = SAMPLES / name if (SAMPLES / name).exists() else DATA / name
    return path.read_bytes()


@pytest.fixture
def accounts(fw):
    """Accounts 240001–240014 in organization A (the world has 240001–240003)."""
    org = fw.a.org
    for n in range(4, 15):
        child = Child.objects.create(
            organization=org,
            last_name=f"Ребёнок{n}",
            first_name="Тест",
            birth_date=dt.date(2021, 1, n),
            sex="M",
        )
        PersonalAccount.objects.create(organization=org, child=child, number=f"24{n:04d}")
    return {a.number: a for a in PersonalAccount.objects.filter(organization=org)}


def import_file(fw, name: str, content: bytes | None = None):
    return services.payment_import_file(
        actor=fw.a.actor("coordinator"),
        organization=fw.a.org,
        content=content if content is not None else sample(name),
        file_name=name,
    )


def credited(account) -> int:
    return -sum(
        LedgerEntry.objects.filter(account=account, kind="payment").values_list("amount", flat=True)
    )


class TestStatement1C:
    def test_sample_figures(self, fw, accounts):
        result = import_file(fw, "bank_statement_1c.txt")
        assert (len(result.credited), result.credited_sum) == (6, 1565125)
        assert (len(result.unmatched), result.unmatched_sum) == (2, 340000)
        assert result.total == 1905125 == result.credited_sum + result.unmatched_sum
        expected = {
            "240001": 250000,
            "240002": 235050,
            "240003": 300000,
            "240004": 120000,
            "240006": 250000,
            "240007": 410075,
        }
        for number, amount in expected.items():
            assert credited(accounts[number]) == amount, number
        assert credited(accounts["240005"]) == 0
        queue = Payment.objects.filter(organization=fw.a.org, status="unmatched")
        assert sorted(p.doc_number for p in queue) == ["705", "708"]
        assert queue.get(doc_number="708").account_text == "249999"

    def test_second_import_credits_nothing(self, fw, accounts):
        import_file(fw, "bank_statement_1c.txt")
        before = LedgerEntry.objects.count()
        again = import_file(fw, "bank_statement_1c.txt")
        assert again.already is not None
        assert (again.credited, again.unmatched) == ([], [])
        assert LedgerEntry.objects.count() == before
        assert Payment.objects.filter(organization=fw.a.org).count() == 8

    def test_overlapping_statement_credits_only_new_documents(self, fw, accounts):
        import_file(fw, "bank_statement_1c.txt")
        text = sample("bank_statement_1c.txt").decode("cp1251")
        extra = (
            "СекцияДокумент=Платежное поручение\r\nНомер=709\r\nДата=13.10.2026\r\n"
            "Сумма=100.00\r\nПлательщикСчет=40817810000000000000\r\nПлательщик=Иванова\r\n"
            f"ПолучательСчет={ACCOUNT}\r\nНазначениеПлатежа=ЛС 240001\r\nКонецДокумента\r\n"
        )
        text = text.replace("19051.25", "19151.25").replace("КонецФайла", extra + "КонецФайла")
        result = import_file(fw, "overlap.txt", text.encode("cp1251"))
        assert (len(result.credited), result.credited_sum) == (1, 10000)
        assert len(result.duplicates) == 8
        assert credited(accounts["240001"]) == 260000

    def test_faults_are_reported_by_line(self, fw):
        text = sample("bank_statement_1c.txt").decode("cp1251")
        text = text.replace("Сумма=2350.50", "Сумма=2350,5x").replace(
            "Дата=07.10.2026", "Дата=31.02.2026"
        )
        text = text.replace("КонецФайла", "")
        with pytest.raises(ValidationError) as exc:
            parse_statement_1c(text.encode("cp1251"), own_account=ACCOUNT)
        messages = exc.value.messages
        assert any(m.startswith("Строка 40:") and "2350,5x" in m for m in messages), messages
        assert any("КонецФайла" in m for m in messages), messages

    def test_statement_of_another_account_is_refused(self, fw):
        with pytest.raises(ValidationError) as exc:
            parse_statement_1c(sample("bank_statement_1c.txt"), own_account="03234643036160009999")
        assert exc.value.messages[0].startswith("Строка 10:")

    def test_command_prints_counts_and_sums(self, fw, accounts, tmp_path, capsys):
        path = tmp_path / "statement.txt"
        path.write_bytes(sample("bank_statement_1c.txt"))
        call_command("import_payments", str(path), organization=fw.a.org.pk)
        out = capsys.readouterr().out
        assert "Зачислено: 6 на сумму 15 651,25" in out
        assert "Не распознано: 2 на сумму 3 400,00" in out
        call_command("import_payments", str(path), organization=fw.a.org.pk)
        assert "уже загружен" in capsys.readouterr().out


class TestRegistry:
    def test_sample_figures(self, fw, accounts):
        result = import_file(fw, "bank_registry.txt")
        assert (len(result.credited), result.credited_sum) == (6, 1238525)
        paid = [250000, 250000, 187525, 300000, 250000, 1000]
        for n, amount in zip(range(9, 15), paid, strict=True):
            assert credited(accounts[f"24{n:04d}"]) == amount
        fees = Payment.objects.filter(source_import=result.payment_import).values_list(
            "bank_fee", flat=True
        )
        assert sorted(fees) == sorted([3000, 3000, 2250, 3600, 3000, 12])
        assert result.payment_import.bank_fee_sum == 14862
        assert import_file(fw, "bank_registry.txt").already is not None

    def test_total_line_is_checked(self, fw):
        text = sample("bank_registry.txt").decode("cp1251").replace("=6;12385,25", "=7;12385,26")
        with pytest.raises(ValidationError) as exc:
            parse_registry(text.encode("cp1251"))
        assert any(m.startswith("Строка 7:") and "7 платежей" in m for m in exc.value.messages)

    def test_paid_minus_fee_must_equal_transferred(self, fw):
        text = (
            sample("bank_registry.txt")
            .decode("cp1251")
            .replace("2470,00;30,00", "2471,00;30,00", 1)
        )
        with pytest.raises(ValidationError) as exc:
            parse_registry(text.encode("cp1251"))
        assert exc.value.messages[0].startswith("Строка 1:")


class TestPurpose:
    @pytest.mark.parametrize(
        ("purpose", "expected"),
        [
            ("Родительская плата ЛС 240001 Кулакова Мария за октябрь 2026", ["240001"]),
            ("Оплата за детский сад л/с240002 окт.2026", ["240002"]),
            ("род. плата БОЛЬШАКОВ САМУИЛ ЛИЦЕВОЙ СЧЕТ 240003", ["240003"]),
            ("Присмотр и уход, Денисов Л.Д., л.с. 240004, 10.2026", ["240004"]),
            ("Родительская плата за октябрь без указания счёта", []),
            ("ЛС 240006;ФИО Афанасьева Октябрина Афанасьевна;период 102026", ["240006"]),
            ("Родительская плата ЛС 240007 за октябрь и ноябрь 2026", ["240007"]),
            ("Лицевой счёт № 240008", ["240008"]),
            ("Иванов Иван 240009 за ноябрь", ["240009"]),
            ("ВЛАСОВ 102026", []),
        ],
    )
    def test_ways_parents_write_the_account(self, purpose, expected):
        assert accounts_in_purpose(purpose, pattern="24NNNN") == expected


class TestAssignAndManual:
    def test_unmatched_payment_is_assigned_by_a_person(self, fw, accounts):
        import_file(fw, "bank_statement_1c.txt")
        payment = Payment.objects.get(organization=fw.a.org, doc_number="705")
        services.payment_assign(
            actor=fw.a.actor("coordinator"), payment=payment, account=accounts["240005"]
        )
        payment.refresh_from_db()
        assert (payment.status, payment.account.number) == ("credited", "240005")
        assert credited(accounts["240005"]) == 250000
        with pytest.raises(ValidationError):
            services.payment_assign(
                actor=fw.a.actor("coordinator"), payment=payment, account=accounts["240005"]
            )

    def test_wrong_assignment_is_reversed_back_to_the_queue(self, fw, accounts):
        import_file(fw, "bank_statement_1c.txt")
        payment = Payment.objects.get(organization=fw.a.org, doc_number="705")
        entry = services.payment_assign(
            actor=fw.a.actor("coordinator"), payment=payment, account=accounts["240004"]
        )
        services.ledger_entry_reverse(
            actor=fw.a.actor("coordinator"), entry=entry, reason="не тот ребёнок"
        )
        payment.refresh_from_db()
        assert (payment.status, payment.account) == ("unmatched", None)
        assert credited(accounts["240004"]) == 120000

    def test_manual_payment(self, fw):
        payment = services.payment_create_manual(
            actor=fw.a.actor("coordinator"),
            account=fw.a.accounts["c1"],
            amount=150000,
            paid_on=dt.date(2026, 10, 5),
            payer_name="Иванова",
            note="квитанция № 5",
        )
        assert credited(fw.a.accounts["c1"]) == 150000
        assert payment.entries.get().source == "manual"


class TestMalformedFiles:
    """Bad bank files are refused whole, with the line and a Russian reason; nothing written."""

    def refused(self, fw, content: bytes) -> list[str]:
        before = (Payment.objects.count(), LedgerEntry.objects.count())
        with pytest.raises(ValidationError) as exc:
            import_file(fw, "bad.txt", content)
        assert (Payment.objects.count(), LedgerEntry.objects.count()) == before
        return exc.value.messages

    def test_utf8_files_are_named_as_such(self, fw, accounts):
        registry = sample("bank_registry.txt").decode("cp1251")
        # no «И» (UTF-8 byte 0x98, undefined in Windows-1251): only the UTF-8 check catches it
        text = "\n".join(
            line.replace("ОЛИМПИАДА", "ОЛЬГА")
            for line in [registry.splitlines()[0], "=1;2500,00;;06-11-2026"]
        )
        assert "И" not in text.split(";")[5]
        messages = self.refused(fw, text.encode("utf-8"))
        assert messages == ["Строка 1: файл в кодировке UTF-8, банковские файлы — в Windows-1251."]
        statement = sample("bank_statement_1c.txt").decode("cp1251").encode("utf-8")
        assert self.refused(fw, statement)[0].startswith("Строка 2: файл в кодировке UTF-8")

    def test_dos_866_registry_is_not_read_as_garbage(self, fw, accounts):
        line = "06-11-2026;11-01-33;8619;9001;240009;ЖУКОВА ОЛЬГА ЯКОВЛЕВНА;П, ЛЯНТОР;112026;"
        text = line + "2500,00;2470,00;30,00\r\n=1;2500,00;;06-11-2026\r\n"
        messages = self.refused(fw, text.encode("cp866"))
        assert len(messages) == 1 and messages[0].startswith("Строка 1: знак «")
        assert "Windows-1251" in messages[0]

    def test_truncated_files(self, fw, accounts):
        statement = sample("bank_statement_1c.txt")
        messages = self.refused(fw, statement[: len(statement) // 2])
        assert any("не закрыта" in m for m in messages), messages
        assert any("КонецФайла" in m for m in messages), messages
        registry = sample("bank_registry.txt")
        messages = self.refused(fw, registry[: len(registry) // 2])
        assert "Строка 4: ожидается 11 полей через «;», найдено 3." in messages
        assert any("нет итоговой строки" in m for m in messages)

    def test_duplicate_document_in_one_statement(self, fw, accounts):
        text = sample("bank_statement_1c.txt").decode("cp1251")
        start = text.index("СекцияДокумент")
        end = text.index("КонецДокумента") + len("КонецДокумента\r\n")
        text = text[:end] + text[start:end] + text[end:]
        text = text.replace("19051.25", "21551.25")  # totals agree: only the repeat is wrong
        messages = self.refused(fw, text.encode("cp1251"))
        assert messages == [
            "Строка 37: документ № 701 от 05.10.2026 повторяет документ из строки 21."
        ]

    def test_duplicate_line_in_a_registry(self, fw, accounts):
        lines = sample("bank_registry.txt").decode("cp1251").splitlines()
        text = "\r\n".join([lines[0], *lines[:6], "=7;14885,25;;06-11-2026"])
        assert self.refused(fw, text.encode("cp1251")) == ["Строка 2: платёж повторяет строку 1."]

    def test_closing_balance_must_agree(self, fw, accounts):
        text = sample("bank_statement_1c.txt").decode("cp1251")
        text = text.replace("КонечныйОстаток=19051.25", "КонечныйОстаток=19050.25")
        assert self.refused(fw, text.encode("cp1251")) == [
            "Строка 19: КонечныйОстаток 19050.25 не равен НачальныйОстаток + ВсегоПоступило "
            "− ВсегоСписано = 19051.25."
        ]

    def test_statement_without_its_account(self, fw, accounts):
        text = sample("bank_statement_1c.txt").decode("cp1251")
        text = text.replace(f"РасчСчет={ACCOUNT}\r\nДокумент=", "Документ=")
        messages = self.refused(fw, text.encode("cp1251"))
        assert messages == ["в заголовке выписки нет «РасчСчет» — по какому счёту выписка?"]

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("0.00", "Строка 24: документ № 701: Сумма должна быть больше нуля."),
            ("-2500.00", "Строка 24: документ № 701: Сумма «-2500.00» — не сумма."),
        ],
    )
    def test_zero_and_negative_amounts(self, fw, accounts, amount, message):
        text = sample("bank_statement_1c.txt").decode("cp1251")
        text = text.replace("Сумма=2500.00", f"Сумма={amount}", 1)
        assert message in self.refused(fw, text.encode("cp1251"))
        registry = sample("bank_registry.txt").decode("cp1251")
        registry = registry.replace("2500,00;2470,00;30,00", "0,00;0,00;0,00", 1)
        assert "Строка 1: сумма платежа должна быть больше нуля." in self.refused(
            fw, registry.encode("cp1251")
        )

    def test_payment_for_another_organizations_child_waits_in_the_queue(self, fw, accounts):
        """An account number of organization B in A's statement is not credited to B."""
        foreign = PersonalAccount.objects.exclude(organization=fw.a.org).first()
        text = sample("bank_statement_1c.txt").decode("cp1251").replace("249999", foreign.number)
        result = import_file(fw, "foreign.txt", text.encode("cp1251"))
        assert (len(result.credited), len(result.unmatched)) == (6, 2)
        assert not LedgerEntry.objects.filter(account=foreign).exists()
        payment = Payment.objects.get(organization=fw.a.org, doc_number="708")
        with pytest.raises(ValidationError):
            services.payment_assign(
                actor=fw.a.actor("coordinator"), payment=payment, account=foreign
            )
        assert not LedgerEntry.objects.filter(account=foreign).exists()


def test_a_concurrent_upload_of_the_same_file_is_reported_as_loaded_before(
    fw, accounts, monkeypatch
):
    """Two coordinators upload the same statement at the same moment: the second one's
    write hits the unique file hash committed by the first; it gets «already loaded»
    (not a server error) and the payments are credited once (15 651,25 ₽ in all)."""
    from django.db import IntegrityError

    from detsad.fees.services import payments as module

    real = module._import_parsed

    def racing(actor, organization, parsed, digest, file_name):
        real(actor, organization, parsed, digest, file_name)  # the other upload wins
        raise IntegrityError("payment_import_unique_file")

    monkeypatch.setattr(module, "_import_parsed", racing)
    result = import_file(fw, "bank_statement_1c.txt")
    assert result.already is not None and result.already.credited_sum == 1565125
    assert sum(credited(a) for a in accounts.values()) == 1565125
