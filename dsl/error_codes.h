// Every diagnostic code a rule author can see, with what it means.
// docs/errors.md documents each one; tests/docs_test checks that it does.
#pragma once

#include <string_view>

namespace miaopi::dsl {

// X(enumerator, "code", "one-line meaning")
// clang-format off
#define MIAOPI_ERROR_CODES(X)                                                                    \
  /* syntax */                                                                                   \
  X(kSyntax, "E001", "the text does not follow the grammar; the message says what was expected") \
  X(kBadEscape, "E002", "a string literal holds an unknown escape or a bad \\uXXXX")              \
  X(kBadDate, "E003", "a date literal is not a real calendar day")                               \
  X(kBadNumber, "E004", "a number literal is out of range")                                      \
  X(kTooDeep, "E005", "an expression is nested deeper than the parser allows")                   \
  X(kUnterminatedString, "E006", "a string literal is not closed on its line")                   \
  X(kBadUtf8, "E007", "the file is not valid UTF-8")                                             \
  X(kFileTooLarge, "E008", "a rules file is larger than the source size limit")                  \
  X(kUnreadableRules, "E009", "a rules file cannot be read: not a regular file, or outside the pack") \
  /* pack and item structure */                                                                  \
  X(kNoPack, "E101", "no file of the pack declares `pack NAME version VERSION`")                 \
  X(kDuplicatePack, "E102", "more than one `pack` declaration")                                  \
  X(kDuplicateName, "E103", "a table, def, schema or let name is defined twice")                 \
  X(kDuplicateRule, "E104", "two rules of one item have the same code")                          \
  X(kOverlappingVersions, "E105", "two versions of one item are in force on the same day")       \
  X(kMissingEffective, "E106", "an item has no `effective` date")                                \
  X(kBadDateRange, "E107", "an item's `until` date is before its `effective` date")              \
  X(kDuplicateClause, "E108", "an item states `input`, `mode`, `effective` or `until` twice")    \
  X(kMissingInput, "E109", "an item declares no `input`")                                        \
  X(kUnknownMode, "E110", "`mode` is not online, original_check or in_person")                   \
  X(kTooManyRules, "E111", "the pack has more rules than the rule limit allows")                 \
  X(kDuplicateField, "E112", "a record type or input declares a field twice")                    \
  X(kRuleSetMember, "E113", "a rule set (`rules NAME { … }`) holds something other than rules")  \
  X(kBadHolder, "E114", "a licence's holder is not natural_person or legal_person")             \
  X(kReservedName, "E115", "an input field, let or licence is called subject or context")       \
  X(kItemTooLarge, "E116", "an item, its defs and lets expanded, needs more graph nodes than allowed") \
  /* names */                                                                                    \
  X(kUnknownName, "E201", "a name is not a field of the input, a let, a parameter or a table")   \
  X(kUnknownField, "E202", "a record (the item's input or a nested record) has no such field")   \
  X(kUnknownFunction, "E203", "no built-in function or def has this name")                       \
  X(kUnknownTable, "E204", "no table of the pack has this name")                                 \
  X(kUnknownSchema, "E205", "no schema of the pack has this name")                               \
  X(kUnknownColumn, "E206", "the table has no such column")                                      \
  X(kRecursion, "E207", "a def or let refers to itself, directly or through others")             \
  X(kUnknownRuleSet, "E208", "`include` names no rule set of the pack")                          \
  X(kUnknownLicence, "E209", "`uses licence` names no licence type the pack declares")           \
  /* types */                                                                                    \
  X(kTypeMismatch, "E301", "the operands of an operator have types it cannot combine")           \
  X(kNotBool, "E302", "a condition (require, if, and/or/not, quantifier body) is not bool")      \
  X(kArgumentCount, "E303", "a function is called with the wrong number of arguments")           \
  X(kArgumentType, "E304", "a function argument has the wrong type")                             \
  X(kNotAList, "E305", "a list was expected (quantifier, count, in) but this is not one")        \
  X(kNotARecord, "E306", "a field is read from something that is not a record")                  \
  X(kBadRegex, "E307", "the pattern after `matches` is not valid RE2 syntax")                    \
  X(kRegexNotLiteral, "E308", "the pattern after `matches` must be a string literal")            \
  X(kNotIndexable, "E309", "`[ ]` is applied to something that is neither a list nor a table")   \
  X(kBadAggregate, "E310", "`f(x in L: E)` is only for count, sum, min and max")                 \
  X(kBadKeyType, "E311", "a table key expression has another type than the key column")         \
  X(kNotAValue, "E312", "a table, or a row without `.column`, is used as a value")               \
  /* tables */                                                                                   \
  X(kTableNotFound, "E401", "a table's CSV file cannot be read")                                 \
  X(kKeyColumnMissing, "E402", "the CSV header has no column of the declared key")               \
  X(kBadCsv, "E403", "the CSV file is malformed (quotes, column count, encoding)")               \
  X(kDuplicateKey, "E404", "two rows of a table have the same key")                              \
  X(kBadCell, "E405", "a cell does not hold a value of its column's declared type")              \
  X(kTableTooLarge, "E406", "a table has more rows than the table row limit allows")             \
  X(kTableFileTooLarge, "E407", "a table file is larger than the table size limit")              \
  /* decision tables */                                                                          \
  X(kDecisionColumns, "E501", "a decision table's header does not name each parameter once")    \
  X(kDecisionCell, "E502", "a cell does not fit its column's type, or a range is empty")        \
  X(kOverlappingRows, "E503", "rows of a unique (or any) table overlap with different outputs")  \
  /* properties */                                                                              \
  X(kUnknownPropertyItem, "E601", "a property names no item of the pack")                       \
  X(kDuplicateProperty, "E602", "two properties of one item have the same code")                \
  X(kPropertyOnly, "E603", "`decision`, `rule(CODE)` and `implies` are used outside a property") \
  X(kUnknownRule, "E604", "`rule(CODE)` names no rule of the property's item")                  \
  /* the compiler itself */                                                                      \
  X(kInternal, "E901", "the compiler's output failed its own consistency check: a bug in miaopi") \
  /* warnings */                                                                                 \
  X(kItemWithoutRules, "W101", "an item has no rules, so it approves every application")         \
  X(kUnusedLet, "W102", "a let is never used")                                                  \
  X(kDecisionGap, "W103", "some inputs match no row of a decision table, so it is unknown there")   \
  X(kLicenceExists, "W104", "exists() of a licence is false also when the library did not answer")
// clang-format on

enum class ErrorCode {
#define MIAOPI_ENUM(name, code, meaning) name,
  MIAOPI_ERROR_CODES(MIAOPI_ENUM)
#undef MIAOPI_ENUM
};

// The stable text code, "E201".
std::string_view CodeText(ErrorCode code);
// The one-line meaning from the table above.
std::string_view CodeMeaning(ErrorCode code);

}  // namespace miaopi::dsl
