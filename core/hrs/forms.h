// Answer forms: the same content as a bare span or as a sentence, with or without a final
// period, or replaced by the context sentence that holds it (and, for a probe, in synonyms).
// Training adds the other form of every short or sentence-long QA answer (same label), so form
// carries no label; the form probes rewrite held-out answers the same ways and measure how much
// the score moves (docs/hrs.md, "Form probes"). Pure string functions, deterministic.
#pragma once
#include <string>
#include <string_view>

namespace flk::hrs {

// The last character, ignoring spaces, quotes and ')', is '.', '!' or '?'.
bool ends_terminal(std::string_view s);
// At most 5 tokens and no final terminal: "1889", "Gustave Eiffel".
bool span_like(std::string_view answer);
// 6 to 40 tokens in at most 2 sentences: a one- or two-sentence answer.
bool sentence_like(std::string_view answer);

// Sentence templates: training and the probes use disjoint wordings, so a probe does not test
// a template the model was fitted on.
enum class Phrasing { Training, Probe };
std::string as_sentence(std::string_view question, std::string_view answer, Phrasing p);
// The longest run of answer tokens whose stems are not in the question, stopwords trimmed at
// both ends, as the answer's own bytes ("" when there is none).
std::string as_span(std::string_view question, std::string_view answer);
// The context sentence holding the answer verbatim, with its final terminal ("" when none).
std::string holding_sentence(std::string_view context, std::string_view answer);
// The holding sentence with one word left out, as a correct answer shortens its source: a
// lowercase word of four or more letters, not the sentence's first or last, whose stem the answer
// does not hold, chosen by a hash of the sentence ("" when there is none).
std::string shortened_sentence(std::string_view context, std::string_view answer);
// The holding sentence with three consecutive words left out (lowercase words, no negation, none
// whose stem the answer holds, not the first or last): a modifier phrase dropped, as a correct answer
// compresses its source ("" when there is none).
std::string compressed_sentence(std::string_view context, std::string_view answer);
// The holding sentence, when it opens with a subject pronoun (he, she, it, they) the answer does not
// hold, with the pronoun replaced by the name that opens the sentence before it (its leading
// capitalised words): how an answer names what its source refers to ("" when there is none).
std::string resolved_sentence(std::string_view context, std::string_view answer);
// Adds a final '.' to an answer without a terminal, removes the last terminal otherwise.
std::string toggle_period(std::string_view answer);
// The same claim in other words: every content word that WordNet lists a synonym for (names and
// numbers aside) replaced by it, a capital kept ("" when no word has one).
std::string with_synonyms(std::string_view answer);
// The same claim with its numbers written out: "7" -> "seven" for the numbers lexicon.cc names, and
// "25" -> "twenty-five" ("" when the answer has none).
std::string numbers_in_words(std::string_view answer);
// The same claim with its large whole numbers scaled: "2,300,000" -> "2.3 million", "15000" ->
// "15 thousand" (at most two decimals; years aside; "" when the answer has none).
std::string numbers_rescaled(std::string_view answer);
// The same claim with its units abbreviated after a written number: "25 meters" -> "25 m" (the
// words of lexicon.h's kUnitWords, by stem; "" when the answer has none).
std::string units_abbreviated(std::string_view answer);
// The same claim with its dates in ISO form: "March 31, 1889" and "31 March 1889" -> "1889-03-31" (a
// month's name, a day of one or two digits and a year; "" when the answer has none).
std::string dates_iso(std::string_view answer);
// The answer with each full date in the other order: "March 31, 1889" <-> "31 March 1889" ("" when none).
std::string dates_reordered(std::string_view answer);

// The same claim with its percentages in two words: "50%" and "50 percent" -> "50 per cent" ("" when
// the answer has none).
std::string per_cent_written(std::string_view answer);
// The same claim with a round thousand, million or billion said with "a": "1,000" -> "a thousand",
// "1 million" and "1,000,000" -> "a million" ("" when the answer has none).
std::string scales_with_a(std::string_view answer);
// The answer attributed to its source, as LLM answers often open: "According to the context, ",
// "Based on the provided text, " or "The passage states that " (by a hash of the answer) before it,
// its first letter lowercased where it opens with a function word ("" when the answer is empty).
std::string attributed(std::string_view answer);
// The same claim with "about" before a number written "approximately" or "roughly" (by a hash of the
// answer; "" when the answer has none).
std::string approximated(std::string_view answer);
// The answer after a chat assistant's opening: "Sure! ", "Certainly! " or "Of course! " (by a hash of the
// answer; "" when the answer is empty).
std::string pleasantry(std::string_view answer);
// The answer with a chat assistant's closing after it: " Hope this helps!", " Let me know if you have any
// other questions." or " I hope this helps." (by a hash; a final period added where the answer has no
// terminal; "" when the answer is empty).
std::string closing(std::string_view answer);
// The answer's first passive clause "S was|were V-ed by A" in the active voice, "A V-ed S": "The tower
// was designed by Gustave Eiffel." -> "Gustave Eiffel designed the tower.", "It was founded by him." ->
// "He founded it." S runs from its sentence's start, A to a comma, a preposition opening a modifier ("in
// 1868") or the sentence's end ("" when the answer has no such clause).
std::string voice_active(std::string_view answer);
// The answer's first active clause "A V-ed O" in the passive voice, "O was V-ed by A": "Gustave Eiffel
// designed the tower in 1887." -> "The tower was designed by Gustave Eiffel in 1887.", "He founded it."
// -> "It was founded by him." A runs from its sentence's start (one to six tokens, no comma), O from a
// determiner, an object pronoun or a name to a comma, a modifier's preposition or the sentence's end
// ("" when the answer has no such clause).
std::string voice_passive(std::string_view answer);
// The answer's first sentence that ends in a dated modifier, with it in front: "Marie Curie won the
// prize in 1903." -> "In 1903, Marie Curie won the prize." The modifier opens at a preposition ("in",
// "on", ...), holds a number, no comma, at most four tokens ("" when no sentence has one).
std::string date_fronted(std::string_view answer);

// SynonymsUsed, NumbersInWords, NumbersRescaled, UnitsAbbreviated, DatesIso, PerCentWritten and
// ScalesWithA are paraphrases rather than changes of form; they apply where there is a context to be
// supported by. ContextSentenceShortened is ContextSentence with a word
// left out, ContextSentenceCompressed with three: side by side they show what leaving out words costs.
// ContextSentenceResolved names what the sentence's pronoun refers to. Attributed frames the answer
// as its source's ("According to the context, ..."), a change of form on answers with a context;
// Approximated is a paraphrase. Pleasantry opens every answer as a chat assistant does ("Sure! "), Closing ends it as one does
// ("Hope this helps!"). VoiceActive writes an answer's passive clause in the active voice ("The tower was
// designed by Gustave Eiffel." -> "Gustave Eiffel designed the tower."), a paraphrase.
// ContextSentenceRolesSwapped is ContextSentence with two names exchanged (synthetic.h roles_swapped):
// no paraphrase but a contradiction, so its label-0 rewrites should rise. DateFronted moves a sentence's
// closing date to its front ("In 1903, ..."), DatesReordered writes its full dates in the other
// order ("31 March 1889" for "March 31, 1889"), VoicePassive writes an active clause in the passive voice
// ("The tower was designed by Gustave Eiffel." for "Gustave Eiffel designed the tower."): paraphrases.
enum class Probe {
  SpanAsSentence,
  SentenceAsSpan,
  FormsSwapped,
  ContextSentence,
  PeriodToggled,
  SynonymsUsed,
  NumbersInWords,
  ContextSentenceShortened,
  NumbersRescaled,
  ContextSentenceCompressed,
  ContextSentenceResolved,
  UnitsAbbreviated,
  DatesIso,
  PerCentWritten,
  ScalesWithA,
  Attributed,
  Approximated,
  Pleasantry,
  Closing,
  VoiceActive,
  ContextSentenceRolesSwapped,
  DateFronted,
  DatesReordered,
  VoicePassive
};
constexpr int kProbes = 24;
const char* probe_name(Probe p);

struct FormInput {
  std::string_view question, context, answer;
  bool qa = false;  // task qa (or none): the span/sentence rewrites apply
  int label = 0;
};

// The probe's rewritten answer, or "" where the probe leaves the example as it is.
std::string probe_answer(Probe p, const FormInput& e);
// The answer in its other form for training (same label), or "".
std::string balancing_answer(const FormInput& e);

}  // namespace flk::hrs
