"""Demo content: four emergency routines in Norwegian bokmål and English.

This is demo content derived from the Norwegian seed documents in ``shared/seeds``:

- ``000_3513785896ffdba8.txt``: challenging and threatening counselling situations (violence and threats,
  threats by e-mail or phone, suicide risk and serious illness, what staff do afterwards);
- ``001_f26556c73380d1c9.txt``: a serious incident involving exchange students, in five steps;
- ``003_9041ea9bbdc978e7.txt``: a facilitator guide for a 45-minute group session on the duty to avert.

The facts (steps, who to call, phone numbers, timings, reflection questions) come from the seeds; the text is
rewritten in short, imperative steps. Names of a particular institution's hospital, health centre, internal
systems and channels are replaced with neutral text that an editor can change. The local numbers
(73 86 54 41, 73 59 32 80) are the demo's local numbers.

Every text is a dict ``{"nb": ..., "en": ...}``. Step text uses a small Markdown subset only: ``**bold**``,
bullet lists with lines starting ``- `` and links ``[text](https://...)``.
"""

_24_7 = {"nb": "Døgnåpent", "en": "24/7"}
_UNKNOWN_HOURS = {"nb": "", "en": ""}

# The "afterwards" section shared by the violence routine and the suicide/illness routine (seed 000).
_AFTERWARDS_STAFF = {
    "title": {"nb": "Etter en utfordrende hendelse", "en": "After a challenging incident"},
    "afterwards": True,
    "steps": [
        {
            "nb": "**Snakk alltid med nærmeste leder** etter at du har vært utsatt for en utfordrende "
            "hendelse. Lederen har ansvar for den praktiske oppfølgingen av deg.",
            "en": "**Always talk to your nearest manager** after you have been through a challenging "
            "incident. Your manager is responsible for the practical follow-up of you.",
        },
        {
            "nb": "Sørg for at hendelsen blir registrert i avvikssystemet.",
            "en": "Make sure the incident is registered in the deviation system.",
        },
        {
            "nb": "Ønsker du en grundigere samtale, kan du i tillegg kontakte HMS-avdelingen eller "
            "bedriftshelsetjenesten.",
            "en": "If you would like a more in-depth talk, you can also contact the HSE department or the "
            "occupational health service.",
        },
    ],
}


def _afterwards_staff():
    """A fresh copy of the shared afterwards section, so no two routines share one mutable dict."""
    return {
        "title": dict(_AFTERWARDS_STAFF["title"]),
        "afterwards": True,
        "steps": [dict(step) for step in _AFTERWARDS_STAFF["steps"]],
    }


ROUTINES = [
    # ------------------------------------------------------------------------------------------------
    # 1. Violence and threats (seed 000)
    # ------------------------------------------------------------------------------------------------
    {
        "slug": "vold-og-trusler",
        "category": "violence",
        "kind": "routine",
        "staff_only": False,
        "title": {
            "nb": "Vold og trusler i veiledningssituasjoner",
            "en": "Violence and threats in counselling situations",
        },
        "summary": {
            "nb": "Bruk denne rutinen når en student eller ansatt blir voldelig, truer eller oppfører seg "
            "utagerende i en veiledningssituasjon, eller når du får trusler på e-post eller telefon.",
            "en": "Use this routine when a student or employee becomes violent, makes threats or behaves "
            "aggressively in a counselling situation, or when you receive threats by e-mail or phone.",
        },
        "contacts": [
            {
                "label": {"nb": "Politi", "en": "Police"},
                "number": "112",
                "when": {
                    "nb": "Ved vold eller alvorlige trusler",
                    "en": "Violence or serious threats",
                },
                "hours": dict(_24_7),
            },
        ],
        "sections": [
            {
                "title": {"nb": "Vold og trusler om vold", "en": "Violence and threats of violence"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "**Trekk deg ut av situasjonen** hvis du er alene.",
                        "en": "**Get out of the situation** if you are alone.",
                    },
                    {
                        "nb": "**Ring alltid politiet på 112** ved vold eller alvorlige trusler.",
                        "en": "**Always call the police on 112** if there is violence or serious threats.",
                    },
                    {
                        "nb": "Varsle alltid nærmeste leder eller stedfortreder.",
                        "en": "Always notify your nearest manager or deputy.",
                    },
                    {
                        "nb": "Vurder om lokalene må stenges for å beskytte andre.",
                        "en": "Consider whether the premises must be closed to protect others.",
                    },
                    {
                        "nb": "Gjelder truslene noen andre enn deg, skal den eller de som truslene gjelder, varsles.",
                        "en": "If the threats are aimed at someone other than you, warn the person or people "
                        "they are aimed at.",
                    },
                ],
            },
            {
                "title": {
                    "nb": "Mindre alvorlige hendelser og utagerende atferd",
                    "en": "Less serious incidents and aggressive behaviour",
                },
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Forlat kontoret hvis studenten eller den ansatte ikke vil gå.",
                        "en": "Leave the office yourself if the student or employee will not leave.",
                    },
                    {
                        "nb": "Kontakt leder eller stedfortreder for å avklare hvordan saken skal håndteres videre.",
                        "en": "Contact your manager or deputy to agree on how to handle the matter from here.",
                    },
                ],
            },
            {
                "title": {"nb": "Trusler på e-post eller telefon", "en": "Threats by e-mail or phone"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "**På e-post:** Ikke svar.",
                        "en": "**By e-mail:** Do not reply.",
                    },
                    {
                        "nb": "**På telefon:** Hold deg rolig.",
                        "en": "**By phone:** Stay calm.",
                    },
                    {
                        "nb": "Kontakt leder eller stedfortreder for å avklare hvordan saken skal håndteres videre.",
                        "en": "Contact your manager or deputy to agree on how to handle the matter from here.",
                    },
                    {
                        "nb": "Gjelder truslene noen andre enn deg, skal den eller de som truslene gjelder, varsles.",
                        "en": "If the threats are aimed at someone other than you, warn the person or people "
                        "they are aimed at.",
                    },
                ],
            },
            _afterwards_staff(),
        ],
        "related": ["selvmordsfare-og-alvorlig-sykdom", "avvergingsplikten-fasilitatorveileder"],
        "agenda": [],
    },
    # ------------------------------------------------------------------------------------------------
    # 2. Suicide risk and serious illness (seed 000)
    # ------------------------------------------------------------------------------------------------
    {
        "slug": "selvmordsfare-og-alvorlig-sykdom",
        "category": "suicide_illness",
        "kind": "routine",
        "staff_only": False,
        "title": {
            "nb": "Selvmordsfare og alvorlig sykdom",
            "en": "Suicide risk and serious illness",
        },
        "summary": {
            "nb": "Bruk denne rutinen når en student eller ansatt sier at hun eller han skal ta sitt eget liv, "
            "eller ved mistanke om annen alvorlig sykdom eller en ulykke.",
            "en": "Use this routine when a student or employee says they are going to take their own life, "
            "or when you suspect other serious illness or an accident.",
        },
        "contacts": [
            {
                "label": {"nb": "Ambulanse / medisinsk nødtelefon", "en": "Ambulance / medical emergency"},
                "number": "113",
                "when": {
                    "nb": "Ved mistanke om alvorlig sykdom eller ulykke",
                    "en": "Suspected serious illness or accident",
                },
                "hours": dict(_24_7),
            },
            {
                "label": {"nb": "Legevakt", "en": "Emergency clinic"},
                "number": "116 117",
                "when": {
                    "nb": "Når noen sier at de skal ta sitt eget liv",
                    "en": "When someone says they will take their own life",
                },
                "hours": dict(_24_7),
            },
            {
                "label": {
                    "nb": "AAT (ambulant akutt team) ved det lokale sykehuset",
                    "en": "Mobile acute psychiatric team (AAT) at the local hospital",
                },
                "number": "73 86 54 41",
                "when": {
                    "nb": "Når noen sier at de skal ta sitt eget liv",
                    "en": "When someone says they will take their own life",
                },
                "hours": dict(_UNKNOWN_HOURS),
            },
            {
                "label": {"nb": "Studenthelsetjenesten", "en": "Student health centre"},
                "number": "73 59 32 80",
                "when": {
                    "nb": "Utenlandsk student uten norsk ID-nummer",
                    "en": "Foreign student without a Norwegian ID number",
                },
                "hours": dict(_UNKNOWN_HOURS),
            },
        ],
        "sections": [
            {
                "title": {
                    "nb": "Noen sier at de skal ta sitt eget liv",
                    "en": "Someone says they will take their own life",
                },
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Kontakt fastlegen til personen, hvis du vet hvem det er.",
                        "en": "Contact the person's GP, if you know who it is.",
                    },
                    {
                        "nb": "Ring AAT (ambulant akutt team) ved det lokale sykehuset: **73 86 54 41**.",
                        "en": "Call the mobile acute psychiatric team (AAT) at the local hospital: **73 86 54 41**.",
                    },
                    {
                        "nb": "Ring legevakten: **116 117**.",
                        "en": "Call the emergency clinic: **116 117**.",
                    },
                    {
                        "nb": "Er det en utenlandsk student uten norsk ID-nummer? Ring studenthelsetjenesten: "
                        "**73 59 32 80**.",
                        "en": "Is it a foreign student without a Norwegian ID number? Call the student health "
                        "centre: **73 59 32 80**.",
                    },
                    {
                        "nb": "**Gjør en avtale med helsepersonell før personen forlater stedet.**",
                        "en": "**Make an arrangement with health personnel before the person leaves.**",
                    },
                ],
            },
            {
                "title": {
                    "nb": "Hvis personen må følges til lege",
                    "en": "If the person must be taken to a doctor",
                },
                "afterwards": False,
                "steps": [
                    {
                        "nb": "**Ikke kjør alene.**",
                        "en": "**Do not drive alone.**",
                    },
                    {
                        "nb": "Ta med en kollega, eller ta taxi sammen med personen.",
                        "en": "Bring a colleague, or take a taxi together with the person.",
                    },
                    {
                        "nb": "Overlever personen til en lege.",
                        "en": "Hand the person over to a doctor.",
                    },
                ],
            },
            {
                "title": {
                    "nb": "Annen alvorlig sykdom eller ulykke",
                    "en": "Other serious illness or accident",
                },
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Ring ambulanse / medisinsk nødtelefon: **113**.",
                        "en": "Call an ambulance / medical emergency: **113**.",
                    },
                ],
            },
            _afterwards_staff(),
        ],
        "related": ["vold-og-trusler", "alvorlig-hendelse-utvekslingsstudenter"],
        "agenda": [],
    },
    # ------------------------------------------------------------------------------------------------
    # 3. Serious incident involving exchange students (seed 001)
    # ------------------------------------------------------------------------------------------------
    {
        "slug": "alvorlig-hendelse-utvekslingsstudenter",
        "category": "exchange_students",
        "kind": "routine",
        "staff_only": False,
        "title": {
            "nb": "Alvorlig hendelse som gjelder utvekslingsstudenter",
            "en": "Serious incident involving exchange students",
        },
        "summary": {
            "nb": "Bruk denne rutinen ved en alvorlig hendelse som gjelder inn- eller utreisende "
            "utvekslingsstudenter. Følg de fem trinnene i rekkefølge.",
            "en": "Use this routine when a serious incident involves incoming or outgoing exchange students. "
            "Follow the five steps in order.",
        },
        "contacts": [
            {
                "label": {"nb": "Politi", "en": "Police"},
                "number": "112",
                "when": {
                    "nb": "Når noen er i akutt fare i Norge",
                    "en": "Someone is in immediate danger in Norway",
                },
                "hours": dict(_24_7),
            },
            {
                "label": {"nb": "Ambulanse / medisinsk nødtelefon", "en": "Ambulance / medical emergency"},
                "number": "113",
                "when": {
                    "nb": "Ved alvorlig sykdom eller skade i Norge",
                    "en": "Serious illness or injury in Norway",
                },
                "hours": dict(_24_7),
            },
        ],
        "sections": [
            {
                "title": {"nb": "1. Varsle nærmeste leder", "en": "1. Notify your nearest manager"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "**Varsle nærmeste leder.**",
                        "en": "**Notify your nearest manager.**",
                    },
                    {
                        "nb": "Lederen din varsler videre, både oppover i linjen og til lederen for den sentrale "
                        "enheten for internasjonalisering og studentliv.",
                        "en": "Your manager notifies others, both up the line and to the head of the central "
                        "unit for internationalisation and student life.",
                    },
                    {
                        "nb": "Lederen for den sentrale enheten og eventuelle ledere ved fakultetet fordeler "
                        "ansvaret for trinn 2–5 og avgjør om det skal settes beredskap.",
                        "en": "The head of the central unit and any faculty managers involved divide "
                        "responsibility for steps 2–5 and decide whether to activate emergency preparedness.",
                    },
                ],
            },
            {
                "title": {
                    "nb": "2. Kartlegg og fordel ansvar",
                    "en": "2. Map who is affected and divide responsibility",
                },
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Hent ut en oversikt over hvem som er eller kan være berørt, med kontaktinformasjon, "
                        "fra studentregisteret.",
                        "en": "Get a list of who is or may be affected, with contact details, from the student "
                        "register.",
                    },
                    {
                        "nb": "Finn ut om hendelsen gjelder inn- og/eller utreisende utvekslingsstudenter, og fra "
                        "ett eller flere fakulteter.",
                        "en": "Find out whether the incident involves incoming and/or outgoing exchange students, "
                        "and from one faculty or several.",
                    },
                    {
                        "nb": "Fordel ansvaret for videre oppfølging:\n"
                        "- Studenter fra flere fakulteter: den sentrale enheten for internasjonalisering og "
                        "studentliv følger opp.\n"
                        "- Studenter fra ett fakultet: fakultetet følger opp.",
                        "en": "Divide responsibility for further follow-up:\n"
                        "- Students from more than one faculty: the central unit for internationalisation and "
                        "student life follows up.\n"
                        "- Students from one faculty: that faculty follows up.",
                    },
                    {
                        "nb": "Innhent mer informasjon om selve hendelsen, og skaff en grov oversikt over omfanget.",
                        "en": "Gather more information about the incident itself, and get a rough overview of "
                        "its scope.",
                    },
                ],
            },
            {
                "title": {"nb": "3. Informer internt", "en": "3. Inform internally"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Informer de internasjonale administrative koordinatorene og den sentrale enheten for "
                        "internasjonalisering og studentliv om at saken følges opp.",
                        "en": "Tell the international administrative coordinators and the central unit for "
                        "internationalisation and student life that the case is being followed up.",
                    },
                    {
                        "nb": "Legg ut beskjeden i beredskapskanalen for internasjonale koordinatorer.",
                        "en": "Post the message in the emergency channel for international coordinators.",
                    },
                    {
                        "nb": "**Hold beskjeden kort, og ikke ta med personopplysninger.**",
                        "en": "**Keep the message short, and leave out personal data.**",
                    },
                    {
                        "nb": "Ved en alvorlig hendelse: Opprett i tillegg en egen lukket chat. Inviter bare dem som "
                        "må involveres, for eksempel ansatte i den sentrale enheten, aktuelle internasjonale "
                        "koordinatorer og nærmeste ledere.",
                        "en": "If the incident is serious, also set up a separate closed chat. Invite only those "
                        "who must be involved, for example staff in the central unit, the relevant "
                        "international coordinators and the nearest managers.",
                    },
                ],
            },
            {
                "title": {"nb": "4. Kontakt og følg opp berørte", "en": "4. Contact and follow up those affected"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Kontakt studentene på e-post (student-e-post eller privat e-post), SMS, telefon eller "
                        "sosiale medier som Facebook/Messenger.",
                        "en": "Contact the students by e-mail (student or private address), text message, phone "
                        "or social media such as Facebook/Messenger.",
                    },
                    {
                        "nb": "Får du ikke tak i studenten, kontakt partnerinstitusjonen.",
                        "en": "If you cannot reach the student, contact the partner institution.",
                    },
                    {
                        "nb": "Bruk malene og tekstforslagene i beredskapskanalen, både overfor studenter og "
                        "partnerinstitusjoner.",
                        "en": "Use the templates and suggested texts in the emergency channel, both for students "
                        "and for partner institutions.",
                    },
                    {
                        "nb": "Må du kontakte pårørende? Finn kontaktinformasjonen i utvekslingskontrakten som "
                        "studenten har lastet opp i studentregisteret (dokumentarkivet i studentens "
                        "oversiktsbilde).",
                        "en": "Do you need to contact next of kin? Find their contact details in the exchange "
                        "contract the student uploaded to the student register (the document archive in the "
                        "student's overview).",
                    },
                    {
                        "nb": "**Få samtykke fra studenten** før du deler personopplysninger med andre. Hovedregelen "
                        "er samtykke i hver enkelt sak.",
                        "en": "**Get the student's consent** before you share personal information with anyone. "
                        "The main rule is consent in each individual case.",
                    },
                    {
                        "nb": "Du kan uansett kontakte pårørende for å høre om de har vært i kontakt med studenten.",
                        "en": "You may in any case contact next of kin to ask whether they have been in touch "
                        "with the student.",
                    },
                    {
                        "nb": "Er det ikke mulig å få samtykke, kan det likevel være grunn til å informere pårørende. "
                        "**La nærmeste leder gjøre den vurderingen.**",
                        "en": "If consent cannot be obtained, there may still be grounds to inform next of kin. "
                        "**Let your nearest manager make that assessment.**",
                    },
                    {
                        "nb": "Send studentene informasjon om og lenker til relevante støttetjenester og "
                        "velferdstilbud ved institusjonen.",
                        "en": "Send the students information about, and links to, relevant support and welfare "
                        "services at the institution.",
                    },
                    {
                        "nb": "Koordiner kommunikasjon og avklaringer med alle involverte, og følg opp videre ut fra "
                        "situasjonen.",
                        "en": "Coordinate communication and decisions with everyone involved, and follow up "
                        "further as the situation requires.",
                    },
                    {
                        "nb": "Kontakt partnerinstitusjonen ved behov. Den har egne rutiner og ressurser for "
                        "utvekslingsstudenter. Det er aktuelt når:\n"
                        "- hendelsen skjedde i utlandet, og partneren kan ha informasjon om hendelsen eller om "
                        "våre studenter der\n"
                        "- hendelsen skjedde i Norge eller ved institusjonen, og vi har informasjon om hendelsen "
                        "og kan ha informasjon om partnerens studenter hos oss",
                        "en": "Contact the partner institution if needed. It has its own procedures and resources "
                        "for exchange students. This applies when:\n"
                        "- the incident happened abroad, and the partner may have information about it or "
                        "about our students there\n"
                        "- the incident happened in Norway or at the institution, and we have information "
                        "about it and may have information about the partner's students here",
                    },
                    {
                        "nb": "La helst avtaleeieren ved institusjonen ta kontakten med partnerinstitusjonen.",
                        "en": "Preferably, let the agreement owner at the institution contact the partner institution.",
                    },
                    {
                        "nb": "**Husk personvernet** i kontakten med partnerinstitusjonen.",
                        "en": "**Remember privacy** when you contact the partner institution.",
                    },
                ],
            },
            {
                "title": {"nb": "5. Etter hendelsen", "en": "5. After the incident"},
                "afterwards": True,
                "steps": [
                    {
                        "nb": "Debrief og evaluering er lederens ansvar.",
                        "en": "The debrief and the evaluation are the manager's responsibility.",
                    },
                    {
                        "nb": "**Evaluer** med de ansatte: Gå faktabasert gjennom hvordan hendelsen ble håndtert. "
                        "Fungerte det? Hva kan vi lære?",
                        "en": "**Evaluate** with staff: review the facts of how the incident was handled. Did it "
                        "work? What can we learn?",
                    },
                    {
                        "nb": "Gi studentene mulighet til å si hvordan de opplevde institusjonens håndtering. Trå "
                        "varsomt, og involver lederen i evalueringen.",
                        "en": "Give the students a chance to say how they experienced the institution's "
                        "handling. Tread carefully, and involve the manager in the evaluation.",
                    },
                    {
                        "nb": "Vær bevisst på at verken ledere eller medarbeidere nødvendigvis har kompetanse på "
                        "hvordan personer bør følges opp etter en hendelse.",
                        "en": "Be aware that neither managers nor staff necessarily have the expertise to know "
                        "how people should be followed up after an incident.",
                    },
                    {
                        "nb": "Ved en alvorlig hendelse: Gi studentene tilbud om debrief og oppfølging via "
                        "relevante tjenester **før** evalueringen.",
                        "en": "After a serious incident, offer the students a debrief and follow-up through the "
                        "relevant services **before** the evaluation.",
                    },
                    {
                        "nb": "Hold en **debrief** med de involverte ansatte om hvordan de opplevde situasjonen. "
                        "Trekk inn bedriftshelsetjenesten ved behov.",
                        "en": "Hold a **debrief** with the staff involved about how they experienced the "
                        "situation. Bring in the occupational health service if needed.",
                    },
                    {
                        "nb": "Informer studentene om hvilke oppfølgingstilbud som finnes etter en hendelse.",
                        "en": "Tell the students what follow-up services are available after an incident.",
                    },
                    {
                        "nb": "Ved alvorlige hendelser: Henvis om mulig studentene direkte videre til oppfølging hos "
                        "studentsamskipnaden.",
                        "en": "After serious incidents, refer the students directly to follow-up at the student "
                        "welfare organisation, if possible.",
                    },
                    {
                        "nb": "Sjekk at tilbudet fortsatt er åpent og tilgjengelig før du henviser videre.",
                        "en": "Check that the service is still open and available before you refer anyone.",
                    },
                    {
                        "nb": "Kopier samtaleloggen fra beredskapskanalen, og eventuelt chatten, og lagre den som "
                        "dokument i arkivsystemet.",
                        "en": "Copy the conversation log from the emergency channel, and the chat if there is one, "
                        "and save it as a document in the archive system.",
                    },
                    {
                        "nb": "Slett personopplysninger fra chatten. Bare den som delte en opplysning, kan slette "
                        "meldingen.",
                        "en": "Delete any personal data from the chat. Only the person who shared it can delete "
                        "the message.",
                    },
                ],
            },
        ],
        "related": ["vold-og-trusler", "selvmordsfare-og-alvorlig-sykdom"],
        "agenda": [],
    },
    # ------------------------------------------------------------------------------------------------
    # 4. The duty to avert: facilitator guide (seed 003)
    # ------------------------------------------------------------------------------------------------
    {
        "slug": "avvergingsplikten-fasilitatorveileder",
        "category": "duty_to_avert",
        "kind": "facilitator_guide",
        "staff_only": False,
        "title": {
            "nb": "Avvergingsplikten – veileder for fasilitator",
            "en": "The duty to avert – facilitator guide",
        },
        "summary": {
            "nb": "Bruk denne veilederen når du skal lede en felles gjennomgang av e-læringskurset om "
            "avvergingsplikten, for eksempel på et personalmøte eller fagmøte. Sett av ca. 45 minutter.",
            "en": "Use this guide when you lead a group session on the e-learning course on the duty to avert, "
            "for example at a staff meeting or professional meeting. Set aside about 45 minutes.",
        },
        "contacts": [
            {
                "label": {"nb": "Politi", "en": "Police"},
                "number": "112",
                "when": {
                    "nb": "Når et alvorlig lovbrudd må avverges nå",
                    "en": "When a serious crime must be averted now",
                },
                "hours": dict(_24_7),
            },
        ],
        "sections": [
            {
                "title": {"nb": "Formål", "en": "Purpose"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Avvergingsplikten handler om å hindre at noen blir utsatt for alvorlige lovbrudd, "
                        "som gjentatt vold eller voldtekt.",
                        "en": "The duty to avert is about preventing someone from being subjected to serious "
                        "crimes, such as repeated violence or rape.",
                    },
                    {
                        "nb": "E-læringen er utviklet av NKVTS. Den viser situasjoner ulike yrkesgrupper kan havne "
                        "i, og spør om plikten er utløst og hvilke handlingsalternativer som finnes. Noen av "
                        "kursene tar også opp andre plikter som kan utløses ved vold og overgrep.",
                        "en": "The e-learning was developed by NKVTS (the Norwegian Centre for Violence and "
                        "Traumatic Stress Studies). It shows situations different professions may find "
                        "themselves in, and asks whether the duty has been triggered and what the options for "
                        "action are. Some of the courses also cover other duties that violence and abuse can "
                        "trigger.",
                    },
                    {
                        "nb": "Å ta kurset sammen kan:\n"
                        "- gjøre det lettere å vurdere når plikten inntrer\n"
                        "- gi en felles forståelse av ansvar og handlingsrom\n"
                        "- gi anledning til å drøfte egne rutiner, egen praksis og egne ressurser ved vold og "
                        "overgrep",
                        "en": "Taking the course together can:\n"
                        "- make it easier to judge when the duty applies\n"
                        "- build a shared understanding of responsibility and room for action\n"
                        "- give a chance to discuss your own procedures, practice and resources in situations "
                        "involving violence and abuse",
                    },
                    {
                        "nb": "Målet er at de ansatte blir tryggere i vurderingene sine og i stand til å handle når "
                        "noen kan leve med vold eller overgrep.",
                        "en": "The goal is for staff to feel more confident in their assessments and able to act "
                        "when someone may be living with violence or abuse.",
                    },
                    {
                        "nb": "Kurset passer for personalmøter, fagmøter og andre samlinger der dere arbeider med "
                        "felles kompetanse og praksis.",
                        "en": "The course suits staff meetings, professional meetings and other gatherings where "
                        "you work on shared skills and practice.",
                    },
                    {
                        "nb": "Les mer om plikten, hvilke lovbrudd den gjelder, og hvordan du kan avverge, på "
                        "[plikt.no](https://plikt.no).",
                        "en": "Read more about the duty, which crimes it covers and how to avert them at "
                        "[plikt.no](https://plikt.no) (in Norwegian).",
                    },
                ],
            },
            {
                "title": {"nb": "Rollen som fasilitator", "en": "The facilitator's role"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Led samtalen.",
                        "en": "Lead the conversation.",
                    },
                    {
                        "nb": "Sørg for at alle får delta.",
                        "en": "Make sure everyone gets to take part.",
                    },
                    {
                        "nb": "Hold fokus på refleksjon og praksis.",
                        "en": "Keep the focus on reflection and practice.",
                    },
                    {
                        "nb": "Du trenger ikke ha fasitsvar. Kurset viser situasjoner med spørsmål dere skal ta "
                        "stilling til, og åpner for ulike tolkninger og skjønnsmessige vurderinger.",
                        "en": "You do not need to have the right answers. The course shows situations with "
                        "questions you must take a position on, and leaves room for different "
                        "interpretations and judgement calls.",
                    },
                ],
            },
            {
                "title": {"nb": "Før dere møtes", "en": "Before you meet"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Sett av 5–10 minutter til å forberede deg.",
                        "en": "Set aside 5–10 minutes to prepare.",
                    },
                    {
                        "nb": "Gå gjennom kurset selv.",
                        "en": "Go through the course yourself.",
                    },
                    {
                        "nb": "Sørg for at det er satt av ca. 45 minutter til gjennomgangen.",
                        "en": "Make sure about 45 minutes are set aside for the session.",
                    },
                    {
                        "nb": "Avklar om deltakerne tar kurset hver for seg på forhånd, eller om dere går gjennom "
                        "det sammen.",
                        "en": "Agree whether participants take the course on their own beforehand, or whether you "
                        "go through it together.",
                    },
                ],
            },
            {
                "title": {"nb": "Viktige påminnelser", "en": "Key reminders"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "**Avvergingsplikten går foran taushetsplikten.**",
                        "en": "**The duty to avert overrides the duty of confidentiality.**",
                    },
                    {
                        "nb": "Det finnes flere måter å avverge på.",
                        "en": "There are several ways to avert a crime.",
                    },
                    {
                        "nb": "**Ikke stå alene med vurderingene.** Anonymiser situasjonen og drøft den med "
                        "kolleger eller andre fagpersoner.",
                        "en": "**Do not make the assessment alone.** Anonymise the situation and discuss it with "
                        "colleagues or other professionals.",
                    },
                ],
            },
            {
                "title": {"nb": "Tips for en god gjennomføring", "en": "Tips for a good session"},
                "afterwards": False,
                "steps": [
                    {
                        "nb": "Tilpass gruppestørrelse og samtaleform til rammene.",
                        "en": "Adapt the group size and the format of the discussion to the setting.",
                    },
                    {
                        "nb": "Hold tempoet oppe, men gi rom for refleksjon.",
                        "en": "Keep up the pace, but leave room for reflection.",
                    },
                    {
                        "nb": "Still åpne spørsmål.",
                        "en": "Ask open questions.",
                    },
                    {
                        "nb": "Anerkjenn ulike perspektiver.",
                        "en": "Acknowledge different perspectives.",
                    },
                ],
            },
        ],
        "related": ["vold-og-trusler"],
        # The seed gives ranges: introduction 2-3 min, course 5-10 min, small groups 10, plenary 20,
        # wrap-up 5 (about 45 in all). Introduction 2 + course 10 keeps the total at 47, within "about 45".
        "agenda": [
            {
                "title": {"nb": "Kort innledning", "en": "Short introduction"},
                "minutes": 2,
                "say": {
                    "nb": "Fortell kort (2–3 minutter):\n"
                    "- hvorfor dere tar kurset, for eksempel for å bli tryggere på å handle når vi får vite "
                    "om, eller tror, at noen kan bli utsatt for vold eller overgrep\n"
                    "- at formålet er læring og felles forståelse\n"
                    "- at ingen forventes å dele noe privat, men at det er rom for å drøfte anonymiserte "
                    "erfaringer fra egen praksis",
                    "en": "Briefly explain (2–3 minutes):\n"
                    "- why you are taking the course, for example to feel more confident about acting when we "
                    "learn, or suspect, that someone may be subjected to violence or abuse\n"
                    "- that the purpose is learning and a shared understanding\n"
                    "- that nobody is expected to share anything private, but there is room to discuss "
                    "anonymised experiences from your own practice",
                },
                "questions": [],
            },
            {
                "title": {"nb": "Gå gjennom e-læringskurset", "en": "Go through the e-learning course"},
                "minutes": 10,
                "say": {
                    "nb": "Gå gjennom hele kurset sammen. Har deltakerne allerede tatt det hver for seg, tar dere "
                    "utgangspunkt i situasjonen i kurset. Regn med 5–10 minutter, avhengig av om deltakerne "
                    "har tatt kurset på forhånd.",
                    "en": "Go through the whole course together. If participants have already taken it on their "
                    "own, start from the situation in the course. Allow 5–10 minutes, depending on whether "
                    "participants took the course beforehand.",
                },
                "questions": [],
            },
            {
                "title": {"nb": "Refleksjon i mindre grupper", "en": "Reflection in small groups"},
                "minutes": 10,
                "say": {
                    "nb": "Del deltakerne i mindre grupper før den felles samtalen, for eksempel 2–5 personer per "
                    "gruppe. Tilpass størrelsen til antall deltakere og rommet. I små grupper kommer flere "
                    "til orde.",
                    "en": "Split participants into small groups before the plenary, for example 2–5 people per "
                    "group. Adapt the size to the number of participants and the room. In small groups, more "
                    "people get a chance to speak.",
                },
                "questions": [
                    {
                        "nb": "Hva er det mest alvorlige i denne situasjonen?",
                        "en": "What is the most serious thing in this situation?",
                    },
                    {
                        "nb": "Hva kan være vanskelig å vurdere i slike situasjoner?",
                        "en": "What can be difficult to assess in situations like this?",
                    },
                    {
                        "nb": "Hva ville vært vanskelig å håndtere alene?",
                        "en": "What would be hard to handle alone?",
                    },
                ],
            },
            {
                "title": {"nb": "Felles samtale", "en": "Plenary discussion"},
                "minutes": 20,
                "say": {
                    "nb": "Be gruppene dele én eller flere refleksjoner i plenum. Still åpne spørsmål, og hold "
                    "fokus på vurdering og handling.",
                    "en": "Ask the groups to share one or more reflections with everyone. Ask open questions, and "
                    "keep the focus on assessment and action.",
                },
                "questions": [
                    {
                        "nb": "Hva kan gjøre det lettere å handle i en situasjon som den vi nettopp så?",
                        "en": "What could make it easier to act in a situation like the one we just saw?",
                    },
                    {
                        "nb": "Hvem kan eller bør vi involvere?",
                        "en": "Who can or should we involve?",
                    },
                    {
                        "nb": "Hvordan håndterer vi slike situasjoner hos oss?",
                        "en": "How do we handle situations like this where we work?",
                    },
                    {
                        "nb": "Hva er viktig å ikke stå alene med?",
                        "en": "What should we not have to deal with alone?",
                    },
                ],
            },
            {
                "title": {"nb": "Avslutning", "en": "Wrap-up"},
                "minutes": 5,
                "say": {
                    "nb": "Oppsummer kort, og drøft gjerne hvilke rutiner og hvilken støtte dere har. Avklar til "
                    "slutt om det trengs videre oppfølging, en gjennomgang av rutinene eller annen "
                    "kompetanseheving.",
                    "en": "Sum up briefly, and discuss the procedures and support you have. Finally, agree "
                    "whether further follow-up, a review of your procedures or other training is needed.",
                },
                "questions": [
                    {
                        "nb": "Hva har dere blitt mer bevisste på?",
                        "en": "What have you become more aware of?",
                    },
                    {
                        "nb": "Hva er viktig å ta med videre i egen praksis?",
                        "en": "What is important to take with you into your own practice?",
                    },
                    {
                        "nb": "Hvilke rutiner, hvilken støtte og hvilke ressurser finnes på egen arbeidsplass og "
                        "lokalt?",
                        "en": "What procedures, support and resources are there at your workplace and locally?",
                    },
                    {
                        "nb": "Hvem kan vi rådføre oss med når vi er usikre?",
                        "en": "Who can we consult when we are unsure?",
                    },
                ],
            },
        ],
    },
]
