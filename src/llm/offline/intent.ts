/**
 * What a task asks for, read with compromise: does it want something done (a plan, a schedule, a change), or only an
 * explanation? And does it single out people? These decide whether a run may end in a proposal, and whether a
 * question about people is answered in aggregate or refused. English grammar only, nothing about any twin.
 */
import nlp from 'compromise';
import { memoText } from './memo';
import { docOf } from './text';

/** Verbs and phrasings that ask for a decision or a change rather than an explanation. */
const ACTION_PHRASES =
  /\b(should (we|i|you)|shall we|can we|could we|let'?s|when to|when can|when should|(best|right|good|ideal) (time|moment|window) to|who should|plan|schedule|book|arrange|propose|reschedule|create|raise|open an?|fix|repair|service|maintain|move|shift|reduce|lower|cut|avoid|set|change|adjust|stop|start|restart|assign|order)\b/;
const EXPLAIN_OPENERS = /^\s*(why|what|which|how much|how many|how|is|are|was|were|does|did|do|show|list|explain|tell me|give me|describe)\b/;

export type Intent = 'action' | 'explain';

/**
 * `action` when any sentence is a command, a "should/can we" question or names a planning verb; `explain` when every
 * sentence only asks why/what/how. A "why is X up" question explains; "when should we service it" acts.
 */
export const intentOf = memoText(intentIn);

function intentIn(task: string): Intent {
  const doc = docOf(task);
  const sentences = doc.sentences().out('array') as string[];
  for (const s of sentences.length ? sentences : [task]) {
    const lower = s.toLowerCase();
    // A why-question ("why did it shift", "gas usage up, why?") explains even though it may contain an action verb.
    if (/\b(why|what caused|how come|reason)\b/.test(lower) && !/\b(and|then)\b[^.?!]*\b(should|can|could|when)\b/.test(lower)) continue;
    // A command starts with its verb: "Stop the press", "Plan a repair".
    const firstWord = lower.trim().split(/\s+/)[0] ?? '';
    const commands = (nlp(s).verbs().isImperative().out('array') as string[]).map((v) => v.toLowerCase());
    const imperative = commands.some((v) => v.split(/\s+/)[0] === firstWord) && !EXPLAIN_OPENERS.test(lower);
    if (imperative) return 'action';
    if (ACTION_PHRASES.test(lower)) return 'action';
  }
  return 'explain';
}

const PEOPLE_NOUNS =
  /\b(person|people|individuals?|employees?|workers?|colleagues?|operators?|tech(nician)?s?|guys?|woman|man|staff member|team member|crew member|anyone|anybody|someone|somebody|everyone|everybody|he|she|him|her|his|hers)\b/;
const JUDGING =
  /\b(slow(est)?|lazy|laziest|worst|best|perform(ance|ing)?|productiv(e|ity)|sick|ill|stress(ed)?|burn(ed|t)?[\s-]?out|mood|morale|happy|unhappy|tired(est)?|fatigued?|sleep(ing)?|absent|(come|came|coming|arrived?|arriving|show(ed|s)? up)\s+late|tardy|mistakes?|blame|fault|fire|monitor|track|watch|rank|heart[\s-]?rate|biometric\w*|whereabouts|sick\w*|absen\w*|no[\s-]?shows?|call(s|ed|ing)?\s+in\s+sick)\b/;
/** Asking for people one by one: "each tech", "per person", "the names of our techs", "who on that crew did the most". */
const ONE_BY_ONE = [
  /\b(each|every|per|by)\s+(single\s+)?(person|individual|tech(nician)?|worker|employee|operator|head|crew member|team member|staff member|one of them)\b/,
  /\bnames?\b[^.?!]*\b(people|techs?|technicians?|workers?|staff|operators?|employees?|members?)\b|\b(techs?|technicians?|workers?|operators?|employees?|staff)\W+names?\b/,
  /\bwho\b[^.?!]*\b(most|least|fewest|best|worst|slowest|fastest|highest|lowest|longest|shortest)\b/,
];
/** Words for a group of people: a question about one of these ("which crew is most tired?") is crew-level. */
const GROUPS = /^(crews?|shifts?|teams?|rosters?|gangs?|squads?|staff|workforce|groups?|departments?|units?|lines?)$/;
/** Asking for names outright: "want names", "give me their names", "names please", "name them". */
const ASKS_NAMES =
  /\b(want|need|give( me)?|get( me)?|send( me)?|include|show( me)?|tell( me)?)\s+(the\s+|their\s+|them\s+|some\s+|his\s+|her\s+)?names?\b|\bnames?\s*(please|pls|plz)\b|\bname\s+(them|names|him|her|and\s+shame)\b/;
/** Ranking: "most", "least", or any superlative ("slowest", "closest"). */
const RANKING = /\b(most|least|fewest|top|bottom|worst|best)\b/;

/**
 * Nouns for people that compromise knows as such (#Actor: "fitters", "lads", "electricians", "workers"), minus the
 * group words: "which crew" asks about a crew.
 */
function actorsIn(doc: ReturnType<typeof docOf>): string[] {
  return (doc.match('#Actor').not('#Date').out('array') as string[]).map((w) => w.toLowerCase().replace(/[^a-z'-]/g, '')).filter((w) => w && !GROUPS.test(w));
}

/**
 * The members of a group picked one from another: "which of the night shift blokes takes the most …", "who of the
 * day crew lads is slowest". A plural noun after a group word ("shift blokes", "team members") names its people;
 * the group itself ("which of the shifts") or a duration ("shift hours") does not.
 */
function picksMembers(lower: string): boolean {
  const m = /\b(which|who)\s+(one\s+)?of\s+(the|our|those|these|them|my|your|all)\b([^.?!]*)/.exec(lower);
  if (!m) return false;
  const words = m[4].split(/[^a-z'-]+/).filter(Boolean);
  for (let i = 0; i + 1 < words.length && i < 5; i++) {
    if (!GROUPS.test(words[i]) || GROUPS.test(words[i + 1]) || !/s$/.test(words[i + 1])) continue;
    const next = docOf(`the ${words[i + 1]}`);
    if (next.has('#Plural') && !next.has('#Date') && !next.has('#Unit')) return true;
  }
  return false;
}

export interface PeopleCheck {
  singlesOut: boolean;
  reason?: string;
}

/** Does the task ask about individual people (by name, or one person judged)? Crews and counts are fine. */
export const peopleCheck = memoText(peopleIn);

function peopleIn(task: string): PeopleCheck {
  const doc = docOf(task);
  const names = doc.people().out('array') as string[];
  if (names.length) return { singlesOut: true, reason: `it names individual people (${names.length})` };
  const lower = task.toLowerCase();
  const which = /\b(which|who|whose)\b[^.?!]*\b(person|individual|employee|worker|operator|technician|one of them)\b/.test(lower);
  const actors = actorsIn(doc);
  const people = PEOPLE_NOUNS.test(lower);
  // "which of our fitters …": a choice among people compromise knows as such.
  const whichActor = actors.length > 0 && /\b(which|who|whose)\b/.test(lower);
  if ((people && JUDGING.test(lower)) || ((which || whichActor) && JUDGING.test(lower))) {
    return { singlesOut: true, reason: 'it asks to judge or single out individual people' };
  }
  const ranks = RANKING.test(lower) || doc.has('#Superlative');
  if (picksMembers(lower) && (ranks || JUDGING.test(lower))) return { singlesOut: true, reason: 'it asks to rank individual people within a crew' };
  // Names are asked for about people: a question that also speaks of people, crews or shifts, or judges someone.
  const aboutPeople = people || actors.length > 0 || JUDGING.test(lower) || lower.split(/[^a-z]+/).some((w) => GROUPS.test(w) && !/^(lines?|units?|groups?)$/.test(w));
  if (ASKS_NAMES.test(lower) && aboutPeople) return { singlesOut: true, reason: 'it asks for the names of individual people' };
  if (ONE_BY_ONE.some((re) => re.test(lower))) return { singlesOut: true, reason: 'it asks for figures person by person' };
  return { singlesOut: false };
}
