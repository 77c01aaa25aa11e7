#include "hrs/lexicon.h"

#include <string_view>
#include <vector>

#include "hrs/text_hash.h"

namespace flk::hrs {
namespace {

struct List {
  uint8_t cls;
  const char* words;  // space-separated
};

// Words after the tokenizer's clitic handling ("don't" -> "do" + negation flag, "'s" dropped),
// so contractions appear without their apostrophe part.
const List kLists[] = {
    {kStopword,
     "a an the of in on at to for from by with about as into onto over under and or but nor so yet if then than "
     "that this these those there here is are was were be been being am do does did done have has had having it "
     "its he him his she her hers they them their theirs we us our ours you your yours i me my mine what which who "
     "whom whose when where why how all any some each every both either neither one also just very too can could "
     "would should will shall may might must not no s t m re ll ve d"},
    {kNegation,
     "no not never nothing none nobody nowhere neither nor cannot without dont doesnt didnt isnt wasnt arent werent "
     "cant couldnt wont wouldnt shouldnt hasnt havent"},
    {kHedge,
     "may might could possibly possible perhaps maybe probably likely unlikely seems seem seemingly appears appear "
     "apparently suggest suggests reportedly allegedly approximately roughly generally typically usually often "
     "sometimes some depends depending unclear uncertain unknown believe believed estimated estimate arguably "
     "potentially somewhat"},
    {kCertainty,
     "definitely certainly always absolutely undoubtedly clearly obviously surely guaranteed proven indeed exactly "
     "precisely completely entirely totally truly undeniably unquestionably never every fact"},
    {kFirstPerson, "i me my mine myself we us our ours ourselves"},
    {kCalendar,
     "january february march april june july august september october november december jan feb mar apr jun jul "
     "aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday century decade"},
};

}  // namespace

const WordClassTable& word_class_table() {
  static const WordClassTable t = [] {
    WordClassTable t;
    for (const List& l : kLists) {
      std::string_view s(l.words);
      while (!s.empty()) {
        size_t sp = s.find(' ');
        std::string_view w = s.substr(0, sp);
        uint32_t i = t.index.insert(text_hash(w));
        if (i == t.cls.size()) t.cls.push_back(0);
        t.cls[i] |= l.cls;
        s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
      }
    }
    return t;
  }();
  return t;
}

uint8_t word_class(uint64_t word_hash) { return word_class_table().of(word_hash); }

}  // namespace flk::hrs
