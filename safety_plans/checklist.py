"""The safety-planning checklist as first shipped: from the source guidance (seed 002), in our own words, in
bokmål and English. Editors change it in the app afterwards (/safety-plans/checklist/).

``ensure_checklist`` creates the items that do not exist yet and leaves the others alone, so running it where
editors have reworded an item changes nothing. The data migration runs it with the historical model; tests
and the demo run it too, because live-server tests empty every table after them.
"""

# (code, title nb, title en, guidance nb, guidance en)
ITEMS = [
    (
        "escape-plan",
        "Plan for å komme seg i sikkerhet",
        "Escape plan: how to get to safety",
        "Har personen en rømningsplan, eller har hun eller han tenkt gjennom hvor det går an å dra og hvordan, også om natten?",
        "Does the person have an escape plan, or have they thought through where they could go and how, at night too?",
    ),
    (
        "police",
        "Vet hvordan politiet nås (112)",
        "Knows how to reach the police (112)",
        "Har personen vært i kontakt med politiet før, og vet hun eller han hvordan politiet kan kontaktes?",
        "Has the person been in contact with the police before, and do they know how to reach them?",
    ),
    (
        "phone-numbers",
        "Andre viktige telefonnumre",
        "Other important phone numbers",
        "Har personen tilgang til andre viktige numre (familie, venner, lege, barnevern)? Legg dem inn under telefonnumre.",
        "Does the person have other important numbers at hand (family, friends, doctor, child welfare)? Add them under phone numbers.",
    ),
    (
        "crisis-centre",
        "Kontakt med krisesenter (nummer eller adresse)",
        "Contact with a crisis centre (number or address)",
        "Har personen bodd på eller vært i kontakt med et krisesenter, og har hun eller han nummeret eller adressen dit?",
        "Has the person stayed at or been in contact with a crisis centre, and do they have its number or address?",
    ),
    (
        "money",
        "Penger lagt til side",
        "Money put aside",
        "Har personen gjemt unna penger til å klare seg en stund?",
        "Has the person put money aside to manage on for a while?",
    ),
    (
        "spare-keys",
        "Ekstra bil- eller husnøkler",
        "Spare car or house keys",
        "Har personen et ekstra sett nøkler til bil eller hus, oppbevart der utøver ikke finner dem?",
        "Does the person have a spare set of car or house keys, kept where the perpetrator will not find them?",
    ),
    (
        "code-word",
        "Kodeord med familie eller venner",
        "Code word with family or friends",
        "Har personen avtalt et kodeord med familie eller venner som betyr at hun eller han er i fare?",
        "Has the person agreed a code word with family or friends that means they are in danger?",
    ),
    (
        "neighbours",
        "Naboer som ringer politiet eller på døra",
        "Neighbours who will call the police or ring the bell",
        "Har personen snakket med naboer om å ringe politiet eller ringe på døra hvis volden starter?",
        "Has the person asked neighbours to call the police or ring the doorbell if the violence starts?",
    ),
    (
        "weapons",
        "Mulige våpen fjernet fra hjemmet",
        "Potential weapons removed from the home",
        "Har personen fjernet det som kan brukes som våpen fra hjemmet?",
        "Has the person removed what could be used as a weapon from the home?",
    ),
    (
        "go-bag",
        "Bag klar med dokumenter og klær",
        "Bag ready with documents and clothes",
        "Har personen gjort klar en bag med nødvendige dokumenter og klær? Snakk om hvor den kan oppbevares trygt.",
        "Has the person packed a bag with the necessary documents and clothes? Talk about where it can be kept safely.",
    ),
]


def ensure_checklist(model=None) -> None:
    if model is None:
        from safety_plans.models import ChecklistItem as model
    for order, (code, title_nb, title_en, help_nb, help_en) in enumerate(ITEMS, start=1):
        model.objects.get_or_create(
            code=code,
            defaults={
                "order": order * 10,
                "title_nb": title_nb,
                "title_en": title_en,
                "help_nb": help_nb,
                "help_en": help_en,
            },
        )
