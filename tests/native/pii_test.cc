#include <gtest/gtest.h>

#include <string>

#include "crypto/hash.h"
#include "pii/checks.h"
#include "pii/redact.h"
#include "pii/scan.h"

using namespace flk::pii;

namespace {

// "type:matched text" for each finding, in order.
std::vector<std::string> found(std::string_view text, Options o = {}) {
  std::vector<std::string> out;
  for (const Finding& f : scan(text, o)) out.push_back(std::string(kind_name(f.kind)) + ":" +
                                                      std::string(text.substr(f.begin, f.end - f.begin)));
  return out;
}

using V = std::vector<std::string>;

std::string repeat(std::string_view unit, size_t bytes) {
  std::string s;
  while (s.size() < bytes) s += unit;
  s.resize(bytes);
  return s;
}

}  // namespace

TEST(PiiChecks, LuhnIinSsnIban) {
  EXPECT_TRUE(luhn_ok("4111111111111111"));
  EXPECT_FALSE(luhn_ok("4111111111111112"));
  EXPECT_STREQ(card_brand("4111111111111111"), "visa");
  EXPECT_STREQ(card_brand("2221000000000009"), "mastercard");
  EXPECT_STREQ(card_brand("378282246310005"), "amex");
  EXPECT_EQ(card_brand("9111111111111111"), nullptr);
  EXPECT_TRUE(ssn_ok("123456789"));
  for (const char* bad : {"000123456", "666123456", "912345678", "123006789", "123450000"}) EXPECT_FALSE(ssn_ok(bad));
  EXPECT_EQ(iban_length('D', 'E'), 22);
  EXPECT_EQ(iban_length('U', 'S'), 0);
  EXPECT_TRUE(iban_mod97_ok("GB82WEST12345698765432"));
  EXPECT_FALSE(iban_mod97_ok("GB82WEST12345698765433"));
}

TEST(PiiScan, EmailsNeedADottedDomainAndStayInsideTheirToken) {
  EXPECT_EQ(found("mail Jane.Doe+x@mail.example.co.uk, ok"), V{"email:Jane.Doe+x@mail.example.co.uk"});
  EXPECT_EQ(found("user@localhost and @handle and a@b.c1"), V{});
  EXPECT_EQ(found("end of sentence bob@example.org."), V{"email:bob@example.org"});
}

TEST(PiiScan, PhonesNeedACountryPlanOrALayout) {
  EXPECT_EQ(found("call +1 415-555-2671 or (212) 555-0199"), (V{"phone:+1 415-555-2671", "phone:(212) 555-0199"}));
  EXPECT_EQ(found("+44 20 7946 0958 and +49 30 901820"), (V{"phone:+44 20 7946 0958", "phone:+49 30 901820"}));
  // +999 is not a calling code; +44 with 12 national digits is too long; a bare run is no phone.
  EXPECT_EQ(found("+999 1234 5678 and +44 1234 5678 9012 and 4155552671"), V{});
  // Area codes start 2-9 and are not N11; order numbers are not phones.
  EXPECT_EQ(found("123-555-0199, 911-555-0199, order 415-555-0199"), V{});
  EXPECT_EQ(found("phone: 020 7946 0958"), V{"phone:020 7946 0958"});
}

TEST(PiiScan, CardsNeedLuhnAKnownIssuerAndACardLayout) {
  EXPECT_EQ(found("4111 1111 1111 1111 / 3782 822463 10005 / 5500-0055-5555-5559"),
            (V{"payment_card:4111 1111 1111 1111", "payment_card:3782 822463 10005",
               "payment_card:5500-0055-5555-5559"}));
  EXPECT_EQ(found("4111 1111 1111 1112, 9111111111111111, 41 1111 1111 1111 11"), V{});
  EXPECT_EQ(found("order 4111111111111111"), V{});
  EXPECT_EQ(found("card for order 4111111111111111"), V{"payment_card:4111111111111111"});
}

TEST(PiiScan, SsnIbanIpAndBirthDates) {
  EXPECT_EQ(found("SSN 123-45-6789, 666-12-3456, 900-12-3456, 123-00-6789"), V{"us_ssn:123-45-6789"});
  EXPECT_EQ(found("ssn: 078051120; the number 078051120 alone"), V{"us_ssn:078051120"});
  EXPECT_EQ(found("IBAN DE89 3704 0044 0532 0130 00, GB82WEST12345698765432, GB82WEST12345698765433"),
            (V{"iban:DE89 3704 0044 0532 0130 00", "iban:GB82WEST12345698765432"}));
  EXPECT_EQ(found("host 10.0.0.1:8080, 256.1.1.1, 01.2.3.4, version 1.2.3.4, v1.2.3.4"), V{"ipv4:10.0.0.1"});
  EXPECT_EQ(found("2001:db8::8a2e:370:7334 fe80::1 ::1 2001:0db8:0000:0000:0000:ff00:0042:8329"),
            (V{"ipv6:2001:db8::8a2e:370:7334", "ipv6:fe80::1", "ipv6:::1",
               "ipv6:2001:0db8:0000:0000:0000:ff00:0042:8329"}));
  EXPECT_EQ(found("at 10:30:45, mac 00:1A:2B:3C:4D:5E, std::vector, 1::2::3"), V{});
  // An IPv4 tail with a long run of digits is no address, and is not read as a number (fuzz_facade:
  // ten digits overflowed an int under UBSan).
  EXPECT_EQ(found("111:1.2.972236603098867 and ::1.99999999999999999999.3.4"), V{});
  EXPECT_EQ(found("DOB: 1985-03-15; born 15.03.1985; meeting 1985-03-15; born 1990-02-30"),
            (V{"date_of_birth:1985-03-15", "date_of_birth:15.03.1985"}));
  EXPECT_EQ(found("DOB: June 16, 2000; born 3 Mar. 1985; birthday party on June 16, 2024; date of birth Foo 3, 1990"),
            (V{"date_of_birth:June 16, 2000", "date_of_birth:3 Mar. 1985"}));
}

TEST(PiiScan, ContextWordsStartAWord) {
  // "born" inside "stubborn" is no birth word, "ssn" inside "classname" no SSN label; a word that
  // starts the window's first byte counts only when the text has a word boundary there.
  EXPECT_EQ(found("stubborn 1985-03-15; unborn 1985-03-15; born 1985-03-15"), V{"date_of_birth:1985-03-15"});
  EXPECT_EQ(found("classname 078051120; ssn 078051120"), V{"us_ssn:078051120"});
  EXPECT_EQ(found("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxssn 078051120"), V{});
}

TEST(PiiScan, StreetAddresses) {
  EXPECT_EQ(found("lives at 1600 Pennsylvania Avenue and 221 Baker St, not 12 apples"),
            (V{"street_address:1600 Pennsylvania Avenue", "street_address:221 Baker St"}));
}

TEST(PiiScan, Secrets) {
  EXPECT_EQ(found("AKIAIOSFODNN7EXAMPLE ghp_aBcdEfGhIjKlMnOpQrStUvWxYz0123456789 AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"),
            (V{"secret:AKIAIOSFODNN7EXAMPLE", "secret:ghp_aBcdEfGhIjKlMnOpQrStUvWxYz0123456789",
               "secret:AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"}));
  EXPECT_EQ(found("glpat-abcdefghij0123456789 xoxb-123456789012-abcdefABCDEF"),
            (V{"secret:glpat-abcdefghij0123456789", "secret:xoxb-123456789012-abcdefABCDEF"}));
  EXPECT_EQ(found("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcDEF123_-x"),
            V{"secret:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcDEF123_-x"});
  EXPECT_EQ(found("{\"api_key\": \"9fQ2xL7vR3kT8mW1zB6n\", \"password\": \"Hunter22!\"}"),
            (V{"secret:9fQ2xL7vR3kT8mW1zB6n", "secret:Hunter22!"}));
  // Placeholders and low-entropy values next to key-like names are not secrets.
  EXPECT_EQ(found("api_key=\"your_api_key_here\" token=${TOKEN} secret=aaaaaaaaaaaaaaaa1 password=secret"), V{});
  std::string pem = "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END RSA PRIVATE KEY-----\ny";
  auto f = scan(pem, {});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].begin, 2u);
  EXPECT_EQ(f[0].end, pem.size() - 2);
  EXPECT_STREQ(f[0].rule, "private_key_block");
}

TEST(PiiScan, HardNegatives) {
  EXPECT_EQ(found("uuid 550e8400-e29b-41d4-a716-446655440000 isbn 978-3-16-148410-0 ISBN 0-306-40615-2 "
                  "tracking 1Z999AA10123456784 at 2024-01-15T10:30:00Z, 2024-01-15 10:30:00, v2.14.3, "
                  "sha 3f786850e387550fdab836ed7e6dc881de23001b, PO-2024-000123, INV 2024/00017, 1e10, 3.14159"),
            V{});
}

TEST(PiiScan, OverlapsKeepTheMoreConfidentAndFiltersApplyAfterwards) {
  // A card in a key=value pair: the card rule (0.95) beats the entropy rule (0.85).
  EXPECT_EQ(found("card_token=4111111111111111"), V{"payment_card:4111111111111111"});
  Options phones;
  phones.kinds = 1u << static_cast<int>(Kind::Phone);
  EXPECT_EQ(found("4111 1111 1111 1111 +1 415-555-2671", phones), V{"phone:+1 415-555-2671"});
  Options sure;
  sure.min_confidence = 0.9;
  EXPECT_EQ(found("(212) 555-0199 +1 415-555-2671", sure), V{"phone:+1 415-555-2671"});
}

TEST(PiiScan, AdversarialShapesFinishWithTheRightAnswer) {
  const size_t mb = 1u << 20;
  EXPECT_EQ(scan(repeat("a@", mb), {}).size(), 0u);
  EXPECT_EQ(scan(repeat("1", mb), {}).size(), 0u);     // one long digit run
  EXPECT_EQ(scan(repeat("1 ", mb), {}).size(), 0u);    // an endless chunk group
  EXPECT_EQ(scan(repeat("a=", mb), {}).size(), 0u);
  EXPECT_EQ(scan(repeat(":", mb), {}).size(), 0u);
  EXPECT_EQ(scan(repeat("-----BEGIN X-----", mb), {}).size(), 0u);
  EXPECT_EQ(scan(repeat("x@x.co ", 7 * 1000), {}).size(), 1000u);
  // Unterminated key blocks: the END search runs once, each block reaches to its body's end.
  EXPECT_EQ(scan(repeat("-----BEGIN PRIVATE KEY-----\nAAAA ", 33 * 1000), {}).size(), 1000u);
  // A group of 100000 chunks still finds the phone at its end (the group is matched in slices).
  std::string tail = repeat("1 ", 200000) + "+1 415-555-2671";
  EXPECT_EQ(found(tail), V{"phone:+1 415-555-2671"});
}

TEST(PiiScan, BinaryAndInvalidUtf8) {
  std::string t = std::string("\xff\xfe\x00 ", 4) + "4111 1111 1111 1111" + std::string(" \xc3\x28 \x80 ", 6) +
                  "bob@example.org";
  EXPECT_EQ(found(t), (V{"payment_card:4111 1111 1111 1111", "email:bob@example.org"}));
  // Non-ASCII letters glue to a match like ASCII ones: no match inside a word.
  EXPECT_EQ(found("caf\xc3\xa9" "4111111111111111"), V{});
  EXPECT_EQ(utf16_length("a\xc3\xa9\xf0\x9f\x98\x80"), 4u);  // a, é, one emoji as a surrogate pair
  EXPECT_EQ(utf16_length("\xff\xfe\xf5"), 3u);  // invalid bytes count one each, not two
}

TEST(PiiRedact, ModesAndJoinablePseudonyms) {
  flk::crypto::init();
  std::string t = "card 4111 1111 1111 1111 and 4111-1111-1111-1111, mail Bob@Example.org";
  Findings f = scan(t, {});
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(redact(t, f, Mode::Tag, {}), "card [PAYMENT_CARD] and [PAYMENT_CARD], mail [EMAIL]");
  EXPECT_EQ(redact("mail bob@example.org", scan("mail bob@example.org", {}), Mode::Mask, {}), "mail ***************");
  flk::crypto::Bytes key(32, 7), other(32, 8);
  std::string p = redact(t, f, Mode::Pseudonym, key);
  std::string card = pseudonym(Kind::PaymentCard, "4111111111111111", key);
  EXPECT_EQ(p, "card " + card + " and " + card + ", mail " + pseudonym(Kind::Email, "bob@example.org", key));
  EXPECT_EQ(card.size(), std::string("[PAYMENT_CARD:]").size() + 16);
  EXPECT_NE(card, pseudonym(Kind::PaymentCard, "4111111111111111", other));
  EXPECT_NE(card, pseudonym(Kind::Phone, "4111111111111111", key));
}
