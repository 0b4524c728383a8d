"""The intake as a counsellor meets it with the keyboard only (issue 17): focus on each step's first question,
Enter in a one-line field means "next", required questions marked before the first try, and a failed save
summarised at the top with links to each field, taking focus. axe on the way."""

from django.urls import reverse
from playwright.sync_api import expect

from intake.models import Intake
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import INTAKE_A, PASSWORD


def contrast_with_white(css_color: str) -> float:
    """The contrast ratio of an opaque rgb() colour against white."""
    parts = [float(p) for p in css_color[css_color.index("(") + 1 : css_color.index(")")].split(",")[:3]]
    assert "rgba" not in css_color or css_color.endswith(", 1)"), f"a translucent border: {css_color}"

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parts)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_keyboard_only_intake_focus_enter_and_error_summary(page, intake_a):
    log_in(page, "counsellor", PASSWORD)
    page.goto(reverse("intake:step", args=[INTAKE_A, "contact"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontakt")
    # Required questions are marked before anyone tries to go on.
    channel = page.get_by_role("group", name="Hvordan kom personen i kontakt med krisesenteret? (må besvares)")
    expect(channel).to_be_visible()
    # Focus starts on the first question, not 19 Tabs away.
    expect(channel.get_by_role("radio").first).to_be_focused()
    assert_accessible(page)
    # A radio's border against the page: at least 3:1 (WCAG 1.4.11; axe does not check it).
    border = channel.get_by_role("radio").nth(1).evaluate("el => getComputedStyle(el).borderTopColor")
    assert contrast_with_white(border) >= 3, border

    # Enter with nothing answered: "next" (never "back"), refused, with a summary at the top that takes focus.
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="Se på disse svarene før du går videre")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Trenger personen tolk for å fortelle om situasjonen sin? (må besvares)")
    expect(link).to_be_visible()
    assert_accessible(page)
    link.press("Enter")
    interpreter = page.get_by_role("group", name="Trenger personen tolk for å fortelle om situasjonen sin?")
    expect(interpreter.get_by_label("Ja", exact=True)).to_be_focused()  # the link leads to the field itself

    # Answer with the keyboard: the first radio of each group, then Enter goes on to the next step.
    page.get_by_label("Møtte opp selv").focus()
    page.keyboard.press("Space")
    interpreter.get_by_label("Nei", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Situasjonen")
    why = page.get_by_label("Hva gjorde at personen tok kontakt akkurat nå?")
    expect(why).to_be_focused()
    assert_accessible(page)
    page.keyboard.type("Truet i går")
    page.get_by_role("button", name="Lagre og fortsett").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vold og trusler")
    # On a step with a one-line field, Enter in it means "next", although "Back" is the form's first button.
    page.goto(reverse("intake:step", args=[INTAKE_A, "perpetrator"]))
    count = page.get_by_label("Hvor mange utøvere er det?")
    count.fill("2")
    page.get_by_role("group", name="Er det flere i familien som støtter bruken av vold?").get_by_label(
        "Nei", exact=True
    ).check()
    count.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Barn")
    intake = Intake.objects.get(pk=INTAKE_A)
    assert intake.answers["why-now"] == ["Truet i går"] and intake.answers["perpetrator-count"] == [2]
