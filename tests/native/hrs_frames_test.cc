#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hrs/frames.h"
#include "hrs/features.h"

using namespace flk::hrs;

namespace {

// The answer's words after drop_frames, space-separated.
std::string kept(const std::string& answer) {
  std::vector<Token> t = tokenize_all(answer);
  drop_frames(answer, t);
  std::string out;
  for (const Token& x : t) out += (out.empty() ? "" : " ") + answer.substr(x.begin, x.end - x.begin);
  return out;
}

}  // namespace

TEST(HrsFrames, FramesThatOpenASentenceGo) {
  EXPECT_EQ(kept("According to the context, the tower is 330 metres tall."), "the tower is 330 metres tall");
  EXPECT_EQ(kept("Based on the information provided, it opened in 1889."), "it opened in 1889");
  EXPECT_EQ(kept("The passage states that Paris is the capital."), "Paris is the capital");
  EXPECT_EQ(kept("As mentioned in the text, it is tall. According to the document, it is red."), "it is tall it is red");
  EXPECT_EQ(kept("In the provided context, the wall is long."), "the wall is long");
}

TEST(HrsFrames, PleasantriesGo) {
  EXPECT_EQ(kept("Sure! The tower is tall."), "The tower is tall");
  EXPECT_EQ(kept("Of course. Happy to help! It is tall."), "It is tall");
  EXPECT_EQ(kept("Certainly, it is tall."), "it is tall");
  EXPECT_EQ(kept("Of course, it is tall."), "it is tall");
  EXPECT_EQ(kept("Sure, according to the text, it is tall."), "it is tall");
  EXPECT_EQ(kept("According to the text, sure, it is tall."), "it is tall");
  EXPECT_EQ(kept("Sure!"), "Sure");                             // nothing else to read
  EXPECT_EQ(kept("Sure! Of course!"), "Sure Of course");
  EXPECT_EQ(kept("It is tall. Hope this helps! Let me know if you have any other questions."), "It is tall");
  EXPECT_EQ(kept("Sure enough, it is tall."), "Sure enough it is tall");  // "sure" before no comma
  EXPECT_EQ(kept("Great question, it is tall."), "Great question it is tall");  // a sentence of more words
}

TEST(HrsFrames, OtherWordsStay) {
  EXPECT_EQ(kept("According to the context."), "According to the context");  // nothing after the frame
  EXPECT_EQ(kept("The document was signed in 1776."), "The document was signed in 1776");
  EXPECT_EQ(kept("According to Smith, it is tall."), "According to Smith it is tall");
  EXPECT_EQ(kept("It is tall, according to the context."), "It is tall according to the context");  // not an opening
}

TEST(HrsFrames, AFramedAnswerHasTheFeaturesOfTheAnswer) {
  FeatureInput in;
  in.context = "The Great Wall of China is a series of fortifications. The wall is about 21,196 kilometres long.";
  in.answer = "The Great Wall of China is about 21,196 kilometres long.";
  const Features plain = compute_features(in);
  for (const char* framed : {"According to the context, the Great Wall of China is about 21,196 kilometres long.",
                             "The text says that the Great Wall of China is about 21,196 kilometres long.",
                             "Sure! The Great Wall of China is about 21,196 kilometres long."}) {
    in.answer = framed;
    const Features f = compute_features(in);
    for (int k = 0; k < kNumFeatures; ++k)
      if (!is_form_feature(k))  // length and shape change with the frame; nothing else may
        EXPECT_EQ(f.x[k], plain.x[k]) << feature_info(k).name << ": " << framed;
  }
}
