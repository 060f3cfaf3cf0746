// Sample data for the fake backend: the default rulebook (a copy of
// rulebooks/bra-mur-sv) and two short, fictional governing documents.
import type { Clause } from "../bindings/Clause";
import type { ClauseKind } from "../bindings/ClauseKind";
import type { Document } from "../bindings/Document";
import type { Finding } from "../bindings/Finding";
import type { Question } from "../bindings/Question";
import type { Rulebook } from "../bindings/Rulebook";
import type { Section } from "../bindings/Section";
import { emptyFindingInput } from "../finding";
import type { FakeDocument, FakeLibrary } from "./fake";
import type { FakeRule } from "./fake-screen";

export function sampleRulebook(): Rulebook {
  return {
    pack: {
      id: "bra-mur-sv",
      version: "0.1.0",
      language: "sv",
      name: "Brottssäkring enligt Brå/MUR",
      description: "Frågor, skalor och brottstyper för att brottssäkra kommunala styrdokument.",
    },
    scale: {
      likelihood: {
        label: "Sannolikhet",
        steps: [
          { value: 1, label: "Mycket liten", description: "Svårt att utnyttja; kräver insikt, samverkan eller tur." },
          { value: 2, label: "Liten", description: "Möjligt men kräver ansträngning eller särskild kunskap." },
          { value: 3, label: "Stor", description: "Enkelt för den som vill; har förekommit på andra håll." },
          { value: 4, label: "Mycket stor", description: "Öppet för vem som helst; sker troligen redan." },
        ],
      },
      impact: {
        label: "Konsekvens",
        steps: [
          { value: 1, label: "Begränsad", description: "Små belopp, snabbt upptäckt, liten skada för enskilda." },
          { value: 2, label: "Måttlig", description: "Märkbara belopp eller skada som kan rättas till." },
          { value: 3, label: "Betydande", description: "Stora belopp, skadat förtroende eller skada för brukare." },
          { value: 4, label: "Allvarlig", description: "Mycket stora belopp, organiserad brottslighet får fäste." },
        ],
      },
      levels: [
        { id: "low", label: "Låg", color: "#2f7d32" },
        { id: "medium", label: "Medel", color: "#b8860b" },
        { id: "high", label: "Hög", color: "#d35400" },
        { id: "very_high", label: "Mycket hög", color: "#b71c1c" },
      ],
      banding: {
        matrix: [
          ["low", "low", "low", "medium"],
          ["low", "medium", "medium", "high"],
          ["low", "medium", "high", "very_high"],
          ["medium", "high", "very_high", "very_high"],
        ],
      },
    },
    crime_types: [
      { code: "BID", name: "Bidragsbrott", reference: "Bidragsbrottslagen (2007:612) 2–3 §§", description: "" },
      { code: "BED", name: "Bedrägeri", reference: "BrB 9 kap. 1 §", description: "" },
      { code: "URK", name: "Urkundsförfalskning", reference: "BrB 14 kap. 1 §", description: "" },
      { code: "OSI", name: "Osant intygande", reference: "BrB 15 kap.", description: "" },
      { code: "MUT", name: "Tagande och givande av muta", reference: "BrB 10 kap. 5 a–e §§", description: "" },
      { code: "TRO", name: "Trolöshet mot huvudman", reference: "BrB 10 kap. 5 §", description: "" },
      { code: "SKA", name: "Skattebrott", reference: "Skattebrottslagen (1971:69) 2 §", description: "" },
      { code: "ALK", name: "Arbetslivskriminalitet", reference: "", description: "" },
      { code: "OVR", name: "Överutnyttjande", reference: "", description: "" },
    ],
    // The finding-form questions of the pack (rulebooks/bra-mur-sv/questions.toml);
    // a few actors, countermeasure groups and categories. The fake screens with
    // `sampleScreening()` instead of the pack's rules.
    questions: sampleQuestions(),
    actors: [
      {
        id: "leverantor",
        label: "Leverantör eller utförare",
        description: "Företag eller förening som utför tjänster åt kommunen och får ersättning.",
      },
      { id: "sokande", label: "Sökande", description: "Den som ansöker om auktorisation, bidrag eller tillstånd." },
      {
        id: "anstalld_kommun",
        label: "Anställd eller förtroendevald i kommunen",
        description: "Den som handlägger, beslutar, attesterar eller följer upp.",
      },
    ],
    countermeasure_groups: [
      {
        id: "verifiering",
        label: "Verifiera mot register och källor",
        description:
          "Uppgifter kontrolleras mot Bolagsverket, Skatteverket, belastningsregistret eller andra källor i stället för att godtas på sökandens ord.",
        examples: ["Kontroll av verklig huvudman"],
      },
      {
        id: "lopande_kontroll",
        label: "Löpande kontroll och uppföljning",
        description: "Kraven kontrolleras under hela avtals- eller bidragsperioden, inte bara vid ansökan.",
        examples: ["Stickprov", "Oanmälda besök"],
      },
    ],
    categories: [
      {
        id: "vaga-begrepp",
        label: "Vaga begrepp",
        description: "Ord som inte går att tillämpa lika från fall till fall: väsentligt, skälig, vid behov, normalt, bör.",
      },
      {
        id: "engangskontroll",
        label: "Engångskontroll",
        description: "Kraven prövas vid ansökan eller auktorisation men aldrig igen under perioden.",
      },
      {
        id: "inaktuellt-underlag",
        label: "Inaktuellt underlag",
        description: "Underlag som får vara gammalt när det lämnas in: registerutdrag, årsredovisningar.",
      },
    ],
    rules: [],
    context: {
      negation: { words: [], window: 6, breaks: [] },
      roles: {
        advice_sections: [],
        context_sections: [],
        definition_sections: [],
        advice: [],
        context: [],
        definition: [],
        furniture: [],
        furniture_max_words: 14,
        obligation: [],
        heading_max_words: 0,
      },
    },
  };
}

function q(
  id: string,
  label: string,
  kind: Question["kind"],
  field: Question["field"],
  more: Partial<Question> = {},
): Question {
  return { id, label, help: "", kind, options: [], options_from: null, scale: null, sensitive: false, field, ...more };
}

/** The questions of rulebooks/bra-mur-sv/questions.toml, in order. */
export function sampleQuestions(): Question[] {
  const opt = (value: string, label: string, help = "") => ({ value, label, help });
  return [
    q("oavsiktlig_konsekvens", "Oavsiktlig konsekvens", "text", "unintended_consequence", {
      help: "Vad kan lydelsen leda till som regelgivaren inte avsåg? Tänk på överutnyttjande och brott, även risker som redan var kända när regeln skrevs.",
    }),
    q("aktorer", "Vem skulle kunna utnyttja det?", "multiple_choice", "actors", {
      help: "Välj de aktörstyper som har både motiv och möjlighet.",
      options_from: "actors",
    }),
    q("tillvagagangssatt", "Hur skulle det kunna gå till?", "text", "exploitation", {
      help: "Beskriv konkret hur luckan kan utnyttjas. Svaret lämnas bort ur offentliga versioner av rapporten.",
      sensitive: true,
    }),
    q("brottstyper", "Vilka brott handlar det om?", "multiple_choice", "crime_types", {
      help: "Välj en eller flera brottstyper. Överutnyttjande som inte är brott har en egen kod.",
      options_from: "crime_types",
    }),
    q("sannolikhet", "Sannolikhet", "scale", "likelihood", {
      help: "Hur troligt är det att luckan utnyttjas under regelns giltighetstid?",
      scale: "likelihood",
    }),
    q("konsekvens", "Konsekvens", "scale", "impact", {
      help: "Hur stor blir skadan om det sker: belopp, skada för brukare, förtroende?",
      scale: "impact",
    }),
    q("sakerhet", "Hur säker är bedömningen?", "single_choice", "confidence", {
      help: "Bygger bedömningen på kända fall och data, eller på antaganden?",
      options: [
        opt("low", "Osäker", "Mest antaganden."),
        opt("medium", "Ganska säker", "Stöd i erfarenhet från andra kommuner eller myndigheter."),
        opt("high", "Säker", "Kända fall eller egna data."),
      ],
    }),
    q("atgarda", "Är risken allvarlig nog att åtgärda?", "single_choice", "act_on", {
      options: [opt("yes", "Ja"), opt("no", "Nej")],
    }),
    q("motivering", "Varför (eller varför inte)?", "text", "act_on_reason", {
      help: "Väg risken mot kostnaden och mot regelns syfte, t.ex. brukarnas rätt till insatser.",
    }),
    q("alternativ", "Regleringsalternativ", "wording", "alternatives", {
      help: "Ett eller flera sätt att skriva om regeln, vart och ett med för- och nackdelar ur brottsförebyggande synvinkel och den risk som återstår (sannolikhet × konsekvens).",
    }),
    q("foreslagen_lydelse", "Föreslagen lydelse", "wording", "proposed_wording", {
      help: "Den lydelse som föreslås i stället för den nuvarande. Visas som ändringar mot nuvarande text.",
    }),
    q("atgardstyp", "Typ av åtgärd", "single_choice", "measure_type", {
      options: [opt("rule_change", "Ändrad regel"), opt("control", "Stärkt kontroll"), opt("both", "Både och")],
    }),
    q("motatgardsgrupp", "Typ av motåtgärd", "single_choice", "countermeasure_group", {
      options_from: "countermeasure_groups",
    }),
    q("ansvarig", "Ansvarig", "text", "responsible_body", {
      help: "Nämnd, förvaltning eller funktion som ansvarar för att åtgärden genomförs.",
    }),
    q("status", "Status", "single_choice", "status", {
      options: [opt("draft", "Utkast"), opt("reviewed", "Granskad"), opt("agreed", "Beslutad"), opt("rejected", "Avförd")],
    }),
    q("skyddsfaktorer", "Skyddsfaktorer", "text", null, {
      help: "Vad i regelverket eller i arbetssättet gör redan systemet motståndskraftigt (registerkontroller, uppföljning, informationsutbyte)?",
    }),
    q("intygsgivare", "Intygsgivare", "text", null, {
      help: "Vilka intyg eller uppgifter från andra (läkare, arbetsgivare, revisor, sökanden själv) förlitar sig regeln på, och kan uppgiften i stället hämtas ur ett register?",
    }),
  ];
}

/** Screening rules of the fake backend, after rules of the bra-mur-sv pack. */
export function sampleScreening(): FakeRule[] {
  return [
    {
      id: "inaktuellt-hogst-gammalt",
      category: "inaktuellt-underlag",
      pattern: "högst\\s+(?:ett|två|tre|sex|\\d+)\\s+(?:år|månader)\\s+gammal[a-z]*",
      message: "Underlaget får vara gammalt: ”{match}”",
      rationale:
        "Ett utdrag eller intyg som får vara ett halvår eller äldre kan beskriva en situation som inte längre gäller. En dom eller en skuld från de senaste månaderna syns inte.",
      crime_types: ["BED", "URK"],
      why: "Underlaget får vara ”{match}”, så en dom eller skuld från de senaste månaderna syns inte.",
      consequence:
        "Underlaget får vara gammalt (”{match}”): det kan beskriva en situation som inte längre gäller, och nya domar eller skulder syns inte.",
      replace: "högst tre månader gammalt",
    },
    {
      id: "vaga-bedomningsord",
      category: "vaga-begrepp",
      pattern: "(?<![\\p{L}])(?:osannolik[a-z]*|skälig[a-z]*|väsentlig[a-z]*|normalt|vid behov)(?![\\p{L}])",
      message: "Vagt begrepp: ”{match}”",
      rationale:
        "Ett bedömningsord utan gräns går inte att tillämpa lika från fall till fall, och den som vill utnyttja regeln kan alltid hävda att villkoret är uppfyllt.",
      crime_types: ["OVR", "BED"],
      why: "Villkoret hänger på ”{match}”, ett ord som lydelsen inte definierar.",
      consequence:
        "Eftersom ”{match}” inte definieras kan den som vill utnyttja regeln hävda att villkoret är uppfyllt, och lika fall kan bedömas olika.",
      append: "[Ange vad som avses med ordet och vem som bedömer det.]",
    },
    {
      id: "engang-vid-ansokan",
      category: "engangskontroll",
      pattern: "(?:när ansökan[^.]{0,40}kommer in|vid ansökan|inför avtalstecknande)",
      message: "Kontroll bara vid ett tillfälle: ”{match}”",
      rationale:
        "Ett krav som bara prövas vid ansökan eller före avtal säger inget om hur det ser ut ett eller tre år senare.",
      crime_types: ["BED", "ALK"],
    },
  ];
}

function doc(id: string, title: string, docType: string, owner: string, dnr: string): Document {
  return {
    id,
    meta: {
      title,
      doc_type: docType,
      owner,
      dnr,
      decided: "2024-03-20",
      decided_by: owner,
      responsible: "Kvalitetsstrateg",
      valid_from: "2024-04-01",
      valid_to: "",
      version_label: "2024",
    },
    source: { name: `${id}.docx`, sha256: "0".repeat(64), format: "docx", size: 48213 },
    imported_at: "2025-01-15T09:12:00Z",
    imported_by: "demo",
    rulebook: { id: "bra-mur-sv", version: "0.1.0" },
  };
}

/** Builds an outline from rows in document order; positions are assigned here. */
function outline(
  rows: (
    | { s: string; level: number; number: string; title: string }
    | { c: string; number: string; text: string; kind?: ClauseKind }
  )[],
): { sections: Section[]; clauses: Clause[] } {
  const sections: Section[] = [];
  const clauses: Clause[] = [];
  const stack: Section[] = [];
  rows.forEach((row, position) => {
    if ("s" in row) {
      while (stack.length && (stack[stack.length - 1] as Section).level >= row.level) stack.pop();
      const parent = stack[stack.length - 1];
      const section: Section = {
        id: row.s,
        parent_id: parent?.id ?? null,
        level: row.level,
        number: row.number,
        title: row.title,
        position,
      };
      sections.push(section);
      stack.push(section);
    } else {
      const section = stack[stack.length - 1];
      const where = section?.title ?? "";
      const nth = clauses.filter((c) => c.section_id === (section?.id ?? null)).length + 1;
      const num = row.number ? `p. ${row.number.replace(/[.)]$/, "")}` : `stycke ${nth}`;
      clauses.push({
        id: row.c,
        section_id: section?.id ?? null,
        number: row.number,
        label: where ? `${where} › ${num}` : num,
        kind: row.kind ?? (row.number ? "numbered" : "paragraph"),
        text: row.text,
        position,
      });
    }
  });
  return { sections, clauses };
}

function kundval(): FakeDocument {
  const document = doc(
    "doc-kundval",
    "Reglemente för kundval inom hemtjänst",
    "Reglemente",
    "Socialnämnden i Ekviks kommun",
    "SN 2024/0142",
  );
  const o = outline([
    { s: "s-1", level: 1, number: "1.", title: "Inledning" },
    {
      c: "c-1-1",
      number: "1.1",
      text: "Reglementet gäller för kundval inom hemtjänst enligt lagen (2008:962) om valfrihetssystem i Ekviks kommun.",
    },
    {
      c: "c-1-2",
      number: "1.2",
      text: "Socialnämnden ansvarar för valfrihetssystemet och beslutar om auktorisation av utförare.",
    },
    { s: "s-2", level: 1, number: "2.", title: "Krav på utföraren" },
    { s: "s-2-1", level: 2, number: "2.1", title: "Ekonomi och ledning" },
    {
      c: "c-2-1-1",
      number: "1.",
      kind: "list_item",
      text: "Utföraren ska ha en stabil ekonomi och ha fullgjort sina skyldigheter när det gäller skatter och avgifter.",
    },
    {
      c: "c-2-1-2",
      number: "2.",
      kind: "list_item",
      text: "Ägare och personer i ledande ställning får inte vara dömda för brott som avser yrkesutövningen.\nKravet prövas när ansökan om auktorisation kommer in.",
    },
    {
      c: "c-2-1-3",
      number: "3.",
      kind: "list_item",
      text: "Utdrag ur belastningsregistret ska bifogas ansökan och får vara högst ett år gammalt.",
    },
    { s: "s-2-2", level: 2, number: "2.2", title: "Personal" },
    {
      c: "c-2-2-1",
      number: "",
      text: "Utföraren ska ha personal med den utbildning och erfarenhet som uppdraget kräver. Personalen ska kunna göra sig förstådd på svenska i kontakten med kunden och med kommunen.",
    },
    { s: "s-3", level: 1, number: "3.", title: "Uppföljning och sanktioner" },
    { c: "c-3-1", number: "3.1", text: "Nämnden följer upp varje utförare minst en gång per år." },
    {
      c: "c-3-2",
      number: "3.2",
      text: "Vid brister som riskerar kvaliteten kan nämnden ge utföraren en skriftlig varning.",
    },
    {
      c: "c-3-3",
      number: "3.3",
      text: "Bedöms det som osannolikt att bristerna rättas till inom skälig tid får nämnden återkalla auktorisationen.",
    },
    {
      c: "c-3-4",
      number: "3.4",
      text: "Ersättning betalas ut månadsvis i efterskott för den tid utföraren har rapporterat som utförd.",
    },
  ]);
  const finding: Finding = {
    ...emptyFindingInput(),
    id: "f-seed-1",
    document_id: document.id,
    clause_id: "c-2-1-2",
    unintended_consequence:
      "Kravet prövas bara vid ansökan. En ägare som döms under auktorisationstiden kan fortsätta, och det är oklart vilka brott som avser yrkesutövningen.",
    exploitation: "En bulvan står som ägare vid ansökan; den verkliga ägaren tar över efteråt.",
    crime_types: ["BED", "ALK"],
    likelihood: 3,
    impact: 3,
    proposed_wording:
      "Ägare och personer i ledande ställning får inte vara dömda för brott som är relevanta för uppdraget, till exempel ekonomisk brottslighet, bedrägeri, våld eller brott mot arbetsmiljö- och skattelagstiftningen. Kravet prövas vid ansökan och därefter minst en gång per år.",
    status: "reviewed",
    risk_level: "high",
    comments: [],
    suggestion_id: null,
    created_at: "2025-01-15T09:30:00Z",
    created_by: "demo",
    updated_at: "2025-01-15T09:45:00Z",
    updated_by: "demo",
  };
  return { document, outline: o, findings: [finding] };
}

function foreningsbidrag(): FakeDocument {
  const document = doc(
    "doc-forening",
    "Riktlinjer för föreningsbidrag",
    "Riktlinje",
    "Kultur- och fritidsnämnden",
    "KFN 2023/0088",
  );
  const o = outline([
    { s: "f-1", level: 1, number: "1 §", title: "Vem kan få bidrag" },
    {
      c: "fc-1",
      number: "",
      text: "Bidrag kan lämnas till en ideell förening som har sitt säte i kommunen och har minst tio betalande medlemmar.",
    },
    { s: "f-2", level: 1, number: "2 §", title: "Aktivitetsbidrag" },
    {
      c: "fc-2",
      number: "",
      text: "Aktivitetsbidrag betalas ut per deltagartillfälle enligt föreningens närvarokort.",
    },
    {
      c: "fc-3",
      number: "",
      text: "Närvarokorten ska på begäran kunna visas upp för förvaltningen.",
    },
  ]);
  return { document, outline: o, findings: [] };
}

export function sampleLibrary(): FakeLibrary {
  return {
    appInfo: {
      library_path: "(demo) ~/Kryphål/bibliotek.kryphal",
      encrypted: false,
      user: "demo",
      version: "0.1.0",
      rulebook: { id: "bra-mur-sv", version: "0.1.0" },
      rulebook_warning: null,
    },
    rulebook: sampleRulebook(),
    documents: [kundval(), foreningsbidrag()],
    screening: sampleScreening(),
  };
}

/**
 * A long document for the outline's windowing: `chapters` chapters of
 * `perChapter` numbered paragraphs each (2,000 clauses by default).
 */
export function largeDocument(chapters = 40, perChapter = 50): FakeDocument {
  const document = doc("doc-large", "Stort reglemente för prov", "Reglemente", "Provnämnden", "PN 2026/1");
  const items: Parameters<typeof outline>[0] = [];
  for (let ch = 1; ch <= chapters; ch++) {
    items.push({ s: `l-${ch}`, level: 1, number: `${ch} kap.`, title: `Kapitel ${ch}` });
    for (let p = 1; p <= perChapter; p++) {
      items.push({
        c: `l-${ch}-${p}`,
        number: `${p} §`,
        text: `Paragraf ${p} i kapitel ${ch}: utföraren ska redovisa sina kostnader till nämnden varje kvartal.`,
      });
    }
  }
  return { document, outline: outline(items), findings: [] };
}
