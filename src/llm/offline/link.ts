/**
 * Entity linking: which things of the twin's `<context>` catalog a task talks about. Ids are matched without
 * punctuation and with one typo allowed ("cnc a2", "cnca2", "cnc-a22"); names and types by their distinctive words
 * (lemmatised and fuzzy: "compressed air" finds the air compressors, "ovens" the paint oven); numbers with units by
 * compromise. Nothing here knows any particular twin.
 */
import { LEGAL_SUFFIXES, type TwinContext } from '../protocol';
import { contentForms, contentRoots, docOf, editDistance, squash, terms, wordSimilarity } from './text';
import { memoPer, memoText } from './memo';

export type Catalog = TwinContext['catalog'];

export interface Link {
  id: string;
  /** 1 for an exact id, lower for fuzzy or partial matches. */
  score: number;
  via: 'id' | 'name' | 'type' | 'number';
}

export interface Links {
  assets: Link[];
  /**
   * A kind of thing the task names in general ("the compressors", "the chiller"): every asset of that type. Set when
   * no asset is named by id or name; its ids are also in `assets`.
   */
  group?: { type: string; ids: string[]; plural: boolean };
  types: { type: string; score: number }[];
  properties: { name: string; score: number }[];
  orders: Link[];
  crews: Link[];
  numbers: { value: number; unit: string }[];
}

/** Word n-grams (1–3) of the raw text, squashed, to compare with ids written any which way. */
function grams(text: string): string[] {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}\-]+/u).filter(Boolean);
  const out: string[] = [];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= words.length; i++) out.push(squash(words.slice(i, i + n).join('')));
  return out;
}

/** Link ids: exact squash equality, a digits-only mention unique to one id, or one edit on a long id. */
function linkIds(text: string, ids: string[]): Link[] {
  const g = grams(text);
  const gs = new Set(g);
  const exact = ids.filter((id) => gs.has(squash(id)));
  const out: Link[] = exact.map((id) => ({ id, score: 1, via: 'id' as const }));
  const nums = new Set<string>(text.match(/\b\d{2,}\b/g) ?? []);
  for (const n of nums) {
    const owners = ids.filter((id) => ((id.match(/\d+/g) ?? []) as string[]).includes(n));
    if (owners.length === 1 && !exact.includes(owners[0])) out.push({ id: owners[0], score: 0.9, via: 'number' });
  }
  // A typo in an id is only trusted when it points at one id alone and nothing matched exactly in the same family.
  for (const gram of new Set(g)) {
    if (gram.length < 4) continue;
    const near = ids.filter((id) => {
      const s = squash(id);
      // A plain-word id ("plant", "kiln") is one edit from plain English ("plan", "kilns"): only longer ones count.
      const plain = !/[\d\-_.]/.test(id);
      return s !== gram && s.length >= (plain ? 6 : 4) && Math.abs(s.length - gram.length) <= 1 && editDistance(s, gram, 1) <= 1 && /\d/.test(s) === /\d/.test(gram);
    });
    if (near.length === 1 && !out.some((l) => l.id === near[0]) && !exact.some((e) => squash(e).length === squash(near[0]).length && editDistance(squash(e), gram, 1) <= 1)) {
      out.push({ id: near[0], score: 0.8, via: 'id' });
    }
  }
  return out;
}

/** Words of an identifier or name: "air_compressor" → ["air", "compressor"]. */
function nameWords(name: string): string[] {
  return contentForms(name.replace(/[_\-]+/g, ' ')).filter((w) => !/^\d+$/.test(w));
}

/**
 * Score label sets (type names, asset names, property names) against the task's words. A label word that many labels
 * share ("line", "cell") counts little; a rare one ("oven") decides.
 */
function matchLabels(taskWords: string[], labels: { key: string; words: string[]; head?: string }[], min = 0.5, headNoun = true): { key: string; score: number }[] {
  const df = new Map<string, number>();
  for (const l of labels) for (const w of new Set(l.words)) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string) => Math.log(1 + labels.length / (df.get(w) ?? 1));
  const out: { key: string; score: number }[] = [];
  for (const l of labels) {
    const uniq = [...new Set(l.words)];
    if (!uniq.length) continue;
    let got = 0;
    let total = 0;
    for (const w of uniq) {
      total += idf(w);
      let best = 0;
      for (const t of taskWords) best = Math.max(best, wordSimilarity(t, w));
      if (best >= 0.7) got += best * idf(w);
    }
    let score = got / total;
    // English compounds put the head noun last: a "bottle filler" is a filler, an "air compressor" a compressor.
    const head = l.head ?? l.words.at(-1)!;
    // The bump keeps the order of the word scores: "oil temp" is the oil temperature before the barrel temperature.
    if (headNoun && uniq.length > 1 && taskWords.some((t) => wordSimilarity(t, head) >= 0.7)) score = Math.max(score, 0.75 + 0.2 * score);
    if (score >= min) out.push({ key: l.key, score });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Quantities a text gives ("200 gears", "4 h"), read by compromise; remembered per text (memo.ts). */
export const linkNumbers = memoText(numbersIn);

function numbersIn(text: string): { value: number; unit: string }[] {
  const out: { value: number; unit: string }[] = [];
  const doc = docOf(text);
  for (const n of doc.numbers().json() as { text: string; number?: { num: number; suffix: string; unit: string } }[]) {
    if (!n.number || !Number.isFinite(n.number.num)) continue;
    // Digits that belong to an id ("PO-1042", "line-2") are not quantities.
    const at = text.indexOf(n.text);
    if (at > 0 && /[\p{L}\p{N}]-?$/u.test(text.slice(Math.max(0, at - 2), at))) continue;
    const after = text.slice(at + n.text.length).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const unit = n.number.suffix || n.number.unit || after.replace(/[^a-z%]/g, '');
    out.push({ value: n.number.num, unit });
  }
  return out;
}

/** The words of a name, each with its forms; digit-bearing words ("A2", "2") are tags, not nouns. */
function nameTokens(name: string): { forms: string[]; tag: boolean }[] {
  return name
    .replace(/[_\-]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => ({ forms: /\d/.test(w) ? [w.toLowerCase()] : contentForms(w), tag: /\d/.test(w) }))
    .filter((t) => t.forms.length && (t.tag || t.forms.some((f) => f.length > 1)));
}

/**
 * Does the task name this asset by its name, rather than brush one of its modifiers? "Machining line A" is a line:
 * "machine" alone does not name it. The head noun (the last plain word) must be said, or two of the name's words.
 */
function namesIt(name: string, taskWords: string[], taskGrams: Set<string>): boolean {
  const toks = nameTokens(name);
  const said = (t: { forms: string[]; tag: boolean }) =>
    t.tag ? t.forms.some((f) => taskGrams.has(squash(f))) : t.forms.some((f) => taskWords.some((w) => wordSimilarity(w, f) >= 0.85));
  const head = [...toks].reverse().find((t) => !t.tag);
  if (!head || toks.length === 1) return toks.some(said);
  return said(head) || toks.filter(said).length >= 2;
}

/**
 * The head noun of an asset's name: the last plain word before a parenthesis or a prepositional phrase. "Press 12
 * (500 ton)" is a press; "Degating robot at press 12" is a robot, not a press.
 */
const headNounOf = memoText((name: string): string[] => {
  const core = name.replace(/\([^)]*\)/g, ' ').split(/\s+(?:at|of|for|on|in|near|by|with|behind|beside|next to|from|to)\s+/i)[0] ?? name;
  return [...nameTokens(core)].reverse().find((t) => !t.tag)?.forms ?? [];
}, 20_000);

const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 };

/** The numbers in an id or a name ("oven-02", "Tunnel oven 2" → 2). */
function numbersOf(text: string): number[] {
  return (text.match(/\d+/g) ?? []).map(Number);
}

/**
 * "oven 2", "oven #2", "oven no. 2", "the second oven": one asset of a kind picked by its number. The kind is a type
 * (or a name's head noun) the task names; the number must be the only one in the asset's id or name that matches.
 */
function numberedPicks(text: string, catalog: Catalog, kinds: { type: string }[]): { links: Link[]; words: string[] } {
  const out: Link[] = [];
  const used: string[] = [];
  const lower = text.toLowerCase();
  const picks: { word: string; n: number }[] = [];
  for (const m of lower.matchAll(/\b([a-z][a-z]+)\s*(?:#|no\.?\s*|number\s+|nr\.?\s*)?(\d{1,3})\b(?![.,]\d)(?!\s*(?:%|[a-z]{1,4}\/|kw|bar|mm|deg|°|h\b|hours?|days?|min))/g)) picks.push({ word: m[1], n: Number(m[2]) });
  for (const m of lower.matchAll(/\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+([a-z]+)/g)) picks.push({ word: m[2], n: ORDINALS[m[1]] });
  for (const { word, n } of picks) {
    const forms = contentForms(word);
    if (!forms.length) continue;
    const fits = (label: string) => nameTokens(label).some((t) => !t.tag && t.forms.some((f) => forms.some((w) => wordSimilarity(w, f) >= 0.85)));
    const ofKind = catalog.assets.filter((a) => kinds.some((k) => k.type === a.type && fits(a.type)) || fits(a.type) || (a.name && fits(a.name)));
    let hit = ofKind.filter((a) => numbersOf(a.id).includes(n) || numbersOf(a.name ?? '').includes(n));
    // "press 12" when "Press 12" and "Degating robot at press 12" both hold the number: the one that is a press.
    if (hit.length > 1) hit = hit.filter((a) => headNounOf(a.name ?? a.id).some((f) => forms.some((w) => wordSimilarity(w, f) >= 0.85)));
    if (hit.length === 1 && !out.some((l) => l.id === hit[0].id)) {
      out.push({ id: hit[0].id, score: 0.9, via: 'name' });
      used.push(...forms);
    }
  }
  return { links: out, words: used };
}

/**
 * Does the task name this measurement, rather than the part it is measured on? "bearing_temp" is a temperature: the
 * "spindle bearing" alone does not ask for it, "bearing temp" does. The head is the last word of four letters or more
 * (units and qualifiers such as "kw", "rms", "bar" are shorter); it must be said, or every word of the name.
 */
function measures(prop: string, taskWords: string[]): boolean {
  const toks = nameTokens(prop).filter((t) => !t.tag);
  if (!toks.length) return false;
  const said = (t: { forms: string[] }) => t.forms.some((f) => taskWords.some((w) => wordSimilarity(w, f) >= 0.7));
  const head = [...toks].reverse().find((t) => t.forms.some((f) => f.length >= 4)) ?? toks.at(-1)!;
  // "the best time", "on time": a head this common names a measurement only beside another of its words (cycle time).
  if (head.forms.some((f) => GENERIC_HEADS.has(f))) return toks.length > 1 ? toks.filter(said).length >= 2 : said(head);
  return said(head) || toks.every(said);
}

const GENERIC_HEADS = new Set(['time', 'status', 'value', 'count', 'total', 'state']);

/**
 * How people say which measurement they mean without naming it: "running hot" is a temperature, "sounds rough" a
 * vibration. The task's words plus the measurement words they stand for.
 */
const MEASUREMENT_WORDS: [RegExp, string[]][] = [
  [/^(hot|warm|cold|heat|overheat(ing|ed)?|cool)$/, ['temp', 'temperature']],
  [/^(rough|shak(e|ing|y)|vibrat(e|ing)|rattl(e|ing))$/, ['vibration']],
];

function measurementWords(words: string[]): string[] {
  const out = [...words];
  for (const [re, adds] of MEASUREMENT_WORDS) if (words.some((w) => re.test(w))) out.push(...adds.filter((a) => !out.includes(a)));
  return out;
}

/**
 * The head noun of a type: its last word, unless that only says how it comes packaged ("booster_pump_set" is a pump;
 * "what's setting our peak" is not about it).
 */
function typeHead(type: string): string | undefined {
  const words = nameWords(type).filter((w) => !COLLECTIVE.has(w));
  return words.at(-1);
}

const COLLECTIVE = new Set(['set', 'unit', 'system', 'package', 'assembly', 'group', 'skid', 'kit']);

/** The head word of a measurement name, as `measures` reads it. */
function headOf(prop: string): string | undefined {
  const toks = nameTokens(prop).filter((t) => !t.tag);
  const head = [...toks].reverse().find((t) => t.forms.some((f) => f.length >= 4)) ?? toks.at(-1);
  return head?.forms.at(-1);
}

/** A plural of the head noun, as tagged or by its ending ("water pumps" may be read as a verb). */
function isPluralOf(t: { word: string; root: string; tags: string[] }, head: string): boolean {
  if (t.tags.includes('Plural') && wordSimilarity(t.root, head) >= 0.85) return true;
  return /s$/.test(t.word) && t.word !== head && [t.word.slice(0, -1), t.word.replace(/es$/, '')].some((w) => w === head);
}

/** Words that say an order is meant: "the Acme order", "the gear job", "their delivery". */
const ORDER_WORDS = /\b(orders?|jobs?|batch(es)?|runs?|po|shipments?|deliver(y|ies)|ship(ping)?|due|customers?)\b/i;

/** A word without its plural "s" (names are often not lemmatised: "Kitchens" stays "kitchens"). */
const stem = (w: string) => (w.length > 3 && /[^s]s$/.test(w) ? w.slice(0, -1) : w);

/** The words of a label as ordersNamed compares them: lemmas, no numbers, no legal suffixes, no plural "s". */
function labelWords(label: string): string[] {
  return [...new Set(contentRoots(label.replace(/[_\-/]+/g, ' ')).filter((w) => w.length > 1 && !/\d/.test(w) && !LEGAL_SUFFIXES.has(w) && w !== 'sku').map(stem))];
}

/** The distinctive words of each label: none another label shares, no numbers, no legal suffixes. */
function distinctWords(labels: Map<string, string>): Map<string, string[]> {
  const words = new Map([...labels].map(([k, v]) => [k, labelWords(v)] as const));
  const df = new Map<string, number>();
  for (const ws of words.values()) for (const w of ws) df.set(w, (df.get(w) ?? 0) + 1);
  return new Map([...words].map(([k, ws]) => [k, ws.filter((w) => df.get(w) === 1)]));
}

/**
 * Orders a text names by whom they are for or what they make, as a person names them: "the prairie beverage order"
 * (its customer), "the housings" (its product or SKU's words). A customer is named by two of its distinctive words, or
 * by its only one; a product's word counts only beside a word for an order, or to narrow down the customer's orders.
 * Ids are linked by `linkIds`; nothing here knows any twin. Also gives the customers found, by name.
 */
const namedIn = memoPer((catalog: Catalog, text: string): { links: Link[]; customers: string[] } => {
  const said = contentRoots(text.replace(/[_\-/]+/g, ' ')).map(stem);
  const hit = (w: string) => said.some((s) => wordSimilarity(s, w) >= 0.85);
  const byCustomer = new Set<string>();
  const found: string[] = [];
  const customers = new Map(catalog.orders.flatMap((o) => (o.customer ? [[o.customer, o.customer] as const] : [])));
  // A brand is one word however it is cased ("FreshKart" is "freshkart", not "fresh kart"), and its first
  // distinctive word names the customer on its own ("the freshkart order", "chamundi's pouches").
  const brands = new Map([...customers].map(([k, v]) => [k, v.toLowerCase()] as const));
  for (const [name, ws] of distinctWords(brands)) {
    const n = ws.filter(hit).length;
    // Alone, the brand must be said as written or with one typo: "fresh" is not "freshkart".
    const first = labelWords(brands.get(name)!)[0];
    const brandSaid = first !== undefined && ws.includes(first) && said.some((w) => w === first || (first.length >= 5 && Math.abs(w.length - first.length) <= 1 && editDistance(w, first, 1) <= 1));
    if ((n >= Math.min(2, ws.length) && n > 0) || brandSaid) {
      found.push(name);
      for (const o of catalog.orders) if (o.customer === name) byCustomer.add(o.id);
    }
  }
  const bySku = new Set<string>();
  const products = new Map([...new Set(catalog.orders.map((o) => o.sku))].map((sku) => [sku, `${sku} ${catalog.orders.find((o) => o.sku === sku && o.product)?.product ?? ''}`] as const));
  // A product word said with another word of an asset's name is that asset's: "the glass line" is a line, not the
  // returnable-glass product.
  const assetNames = catalog.assets.flatMap((a) => (a.name ? [labelWords(a.name)] : []));
  const namesAsset = (w: string) => assetNames.some((ws) => ws.includes(w) && ws.some((o) => o !== w && hit(o)));
  for (const [sku, ws] of distinctWords(products)) if (ws.some((w) => hit(w) && !namesAsset(w))) for (const o of catalog.orders) if (o.sku === sku) bySku.add(o.id);
  const both = [...byCustomer].filter((id) => bySku.has(id));
  const ids = both.length ? both : byCustomer.size ? [...byCustomer] : ORDER_WORDS.test(text) ? [...bySku] : [];
  return { links: ids.map((id) => ({ id, score: 0.7, via: 'name' as const })), customers: found };
});

/** Orders a text names by their customer or product (see `namedIn`), not by id. */
export function ordersNamed(text: string, catalog: Catalog): Link[] {
  return [...namedIn(catalog, text).links];
}

/**
 * The text without the words of the customers it names: "the midwest meter order" names a customer, not a meter, so
 * assets and measurements are matched on what is left.
 */
function withoutCustomers(text: string, customers: string[]): string {
  if (!customers.length) return text;
  const words = customers.flatMap((c) => contentRoots(c.replace(/[_\-/]+/g, ' ')).map(stem));
  return text.replace(/[\p{L}][\p{L}']*/gu, (w) => {
    if (/\d/.test(w)) return w;
    const forms = contentRoots(w).map(stem);
    return forms.length && forms.every((f) => words.some((c) => wordSimilarity(f, c) >= 0.85)) ? ' ' : w;
  });
}

/**
 * Crews the text names: by id, or by their names ("second shift" for "Second shift"); a word every crew's name shares
 * ("shift") names none of them on its own.
 */
function crewsNamed(text: string, words: string[], catalog: Catalog): Link[] {
  const out = linkIds(text, catalog.crews.map((c) => c.id));
  // Named as a name is: its head noun said, or two of its words ("late shift", not the "late" of "will it be late?").
  const gramSet = new Set(grams(text));
  const named = catalog.crews.filter((c) => c.name && c.name !== c.id && namesIt(c.name, words, gramSet));
  const matched = matchLabels(words, named.map((c) => ({ key: c.id, words: nameWords(c.name!) })), 0.5, false);
  const distinct = matched.filter((m) => !matched.some((o) => o !== m && o.score >= m.score - 0.01));
  for (const m of distinct) if (!out.some((l) => l.id === m.key)) out.push({ id: m.key, score: 0.8 * m.score, via: 'name' });
  return out;
}

/** Everything in the catalog the text mentions. */
export function linkText(text: string, catalog: Catalog): Links {
  return linkTextOf(catalog, text);
}

/** Remembered per catalog object and text (memo.ts): every call of a plan links the same task. */
const linkTextOf = memoPer((catalog: Catalog, text: string) => linksIn(text, catalog));

function linksIn(said: string, catalog: Catalog): Links {
  // Orders by id first, then those named by customer or product; a customer's words name no asset or measurement.
  const named = namedIn(catalog, said);
  const orders = linkIds(said, catalog.orders.map((o) => o.id));
  for (const l of named.links) if (!orders.some((o) => o.id === l.id)) orders.push(l);
  const text = withoutCustomers(said, named.customers);
  const words = contentForms(text.replace(/[_\-]+/g, ' '));
  const gramSet = new Set(grams(text));
  const assets: Link[] = linkIds(text, catalog.assets.map((a) => a.id));
  const typeNames = [...new Set(catalog.assets.map((a) => a.type))];
  const typeWords = new Set(typeNames.flatMap(nameWords));
  // A name's own head noun said as written ("the mold TCU" for "East bay mold TCU") names that asset, unless the head is
  // only its kind ("the chiller" is not "Auxiliary chiller" more than any other chiller).
  const ownHead = (name: string) => {
    const head = headNounOf(name).at(-1);
    return head && words.includes(head) && !typeWords.has(head) ? head : '';
  };
  const byName = matchLabels(
    words,
    catalog.assets.filter((a) => a.name && a.name !== a.id && namesIt(a.name, words, gramSet)).map((a) => ({ key: a.id, words: nameWords(a.name), head: ownHead(a.name) })),
    0.6,
  );
  // A name word several assets share ("filler" in "filler one" and "filler two") names a kind, not one asset.
  const distinct = byName.filter((n) => !byName.some((o) => o !== n && o.score >= n.score - 0.01));
  for (const n of distinct) if (!assets.some((a) => a.id === n.key)) assets.push({ id: n.key, score: 0.7 * n.score, via: 'name' });
  const types = matchLabels(words, typeNames.map((t) => ({ key: t, words: nameWords(t), head: typeHead(t) })), 0.5).map((m) => ({ type: m.key, score: m.score }));
  const picks = numberedPicks(text, catalog, types);
  for (const p of picks.links) if (!assets.some((a) => a.id === p.id)) assets.push(p);
  const propNames = [...new Set(catalog.assets.flatMap((a) => a.properties))];
  // A word that names machines ("press 12", "which press") is not a measurement ("pressure"): the word that picked an
  // asset by its number, and any word that is the head noun of an asset's name or of a type.
  const heads = [...catalog.assets.flatMap((a) => headNounOf(a.name ?? a.id)), ...typeNames.map((t) => nameWords(t).at(-1) ?? t)];
  // Exactly the head noun (or its lemma): "pressure" is not "press".
  const namesMachines = (w: string) => picks.words.includes(w) || heads.includes(w);
  const propWords = measurementWords(words.filter((w) => !namesMachines(w)));
  const properties = matchLabels(propWords, propNames.filter((p) => measures(p, propWords)).map((p) => ({ key: p, words: nameWords(p), head: headOf(p) })), 0.5).map((m) => ({ name: m.key, score: m.score }));
  // A kind named in general: "the compressors" are all of them, "the chiller" the only one. A plural kind word that
  // also matched one name ("the air compressors" against "Air compressor 2") still means the whole kind.
  let group: Links['group'];
  if (types[0] && assets.length && assets.every((l) => l.via === 'name' && catalog.assets.find((a) => a.id === l.id)?.type === types[0].type)) {
    const head = nameWords(types[0].type).at(-1) ?? types[0].type;
    if (terms(text).some((t) => isPluralOf(t, head))) assets.length = 0;
  }
  // "the cncs": a plural of a word only one type's name holds names that kind, even when it is not the head noun.
  const pluralOfOwnWord = (type: string) =>
    nameWords(type).some((w) => w.length >= 3 && !typeNames.some((o) => o !== type && nameWords(o).includes(w)) && terms(text).some((t) => isPluralOf(t, w)));
  if (!assets.length && types[0] && (types[0].score >= 0.75 || pluralOfOwnWord(types[0].type)) && (types.length === 1 || types[1].score < types[0].score)) {
    const type = types[0].type;
    const ids = catalog.assets.filter((a) => a.type === type).map((a) => a.id);
    const head = nameWords(type).at(-1) ?? type;
    const plural =
      terms(text).some((t) => isPluralOf(t, head)) || pluralOfOwnWord(type) || /\b(all|every|each|both)\b/i.test(text);
    if (ids.length === 1 || (plural && ids.length > 1)) {
      group = { type, ids, plural };
      for (const id of ids) assets.push({ id, score: 0.75 * types[0].score, via: 'type' });
    }
  }
  // "hold tube temp ok?": a measurement only one asset has names that asset.
  if (!assets.length && properties[0] && properties[0].score >= 0.85 && properties[0].score > (properties[1]?.score ?? 0)) {
    const owners = catalog.assets.filter((a) => a.properties.includes(properties[0]!.name));
    if (owners.length === 1) assets.push({ id: owners[0]!.id, score: 0.7, via: 'name' });
  }
  // A site or area measures nothing itself: its power, load or energy is what its meter reads.
  if (/\b(load|power|demand|consumption|kw|kwh|energy|draw|usage|electricity)\b/i.test(text)) {
    for (let i = 0; i < assets.length; i++) {
      const a = catalog.assets.find((x) => x.id === assets[i].id);
      if (!a || a.properties.length) continue;
      const meter = catalog.assets.find((x) => x.parent === a.id && x.properties.length && /meter/i.test(`${x.type} ${x.name}`));
      if (meter && !assets.some((l) => l.id === meter.id)) {
        assets[i] = { ...assets[i], id: meter.id };
        if (group?.ids.includes(a.id)) group = { ...group, type: meter.type, ids: group.ids.map((id) => (id === a.id ? meter.id : id)) };
      }
    }
  }
  return {
    assets: assets.sort((a, b) => b.score - a.score),
    group,
    types,
    properties,
    orders,
    crews: crewsNamed(said, words, catalog),
    numbers: linkNumbers(said),
  };
}
