#include "minecarbon/assess/warning/rule_expression.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <system_error>

#include "minecarbon/core/text.h"

namespace minecarbon::assess::warning {
namespace {

enum class TokenKind {
  number,
  name,
  and_,
  or_,
  not_,
  compare,
  minus,
  open,
  close,
  end,
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::string_view text;
  std::size_t offset = 0;  // byte offset in the condition
  double number = 0;
  CompareOp op = CompareOp::less;
};

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view op_text(CompareOp op) {
  switch (op) {
    case CompareOp::less:
      return "<";
    case CompareOp::less_equal:
      return "<=";
    case CompareOp::greater:
      return ">";
    case CompareOp::greater_equal:
      return ">=";
    case CompareOp::equal:
      return "==";
    case CompareOp::not_equal:
      return "!=";
  }
  return "?";
}

// 1-based character (code point) position of byte `offset` of `text`.
std::size_t char_position(std::string_view text, std::size_t offset) {
  std::size_t position = 1;
  for (std::size_t idx = 0; idx < offset && idx < text.size(); ++idx) {
    // Continuation bytes 10xxxxxx do not start a character.
    if ((static_cast<unsigned char>(text[idx]) & 0xC0) != 0x80) ++position;
  }
  return position;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(std::size_t offset, const std::string& problem) const {
    throw RuleSyntaxError(char_position(text_, offset), problem);
  }

  std::vector<Token> tokens() {
    std::vector<Token> out;
    while (true) {
      while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                     text_[pos_] == '\n' || text_[pos_] == '\r'))
        ++pos_;
      if (pos_ >= text_.size()) {
        out.push_back(Token{TokenKind::end, {}, text_.size()});
        return out;
      }
      out.push_back(next());
    }
  }

 private:
  Token next() {
    const std::size_t start = pos_;
    const char c = text_[pos_];
    if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1])))
      return number(start);
    if (is_name_start(c)) {
      while (pos_ < text_.size() && is_name_char(text_[pos_]))
        ++pos_;
      const std::string_view word = text_.substr(start, pos_ - start);
      Token token{TokenKind::name, word, start};
      if (word == "and") token.kind = TokenKind::and_;
      if (word == "or") token.kind = TokenKind::or_;
      if (word == "not") token.kind = TokenKind::not_;
      return token;
    }
    const auto two = [&](char second) {
      return pos_ + 1 < text_.size() && text_[pos_ + 1] == second;
    };
    const auto op = [&](CompareOp compare, std::size_t length) {
      pos_ += length;
      Token token{TokenKind::compare, text_.substr(start, length), start};
      token.op = compare;
      return token;
    };
    switch (c) {
      case '(':
        ++pos_;
        return Token{TokenKind::open, text_.substr(start, 1), start};
      case ')':
        ++pos_;
        return Token{TokenKind::close, text_.substr(start, 1), start};
      case '-':
        ++pos_;
        return Token{TokenKind::minus, text_.substr(start, 1), start};
      case '<':
        return two('=') ? op(CompareOp::less_equal, 2) : op(CompareOp::less, 1);
      case '>':
        return two('=') ? op(CompareOp::greater_equal, 2) : op(CompareOp::greater, 1);
      case '=':
        if (two('=')) return op(CompareOp::equal, 2);
        fail(start, "'=' is not a comparison; write '==' to test equality");
      case '!':
        if (two('=')) return op(CompareOp::not_equal, 2);
        fail(start, "'!' alone is not an operator; write '!=' or 'not'");
      case '&':
        fail(start, "'&' is not an operator; write 'and'");
      case '|':
        fail(start, "'|' is not an operator; write 'or'");
      case '+':
        fail(start,
             "'+' is not supported; the language has comparisons, and, or, not and a "
             "leading '-' on numbers and statistics, no arithmetic");
      default:
        break;
    }
    if ((static_cast<unsigned char>(c) & 0x80) != 0)
      fail(start, "unexpected non-ASCII character; use <=, >=, != and plain ASCII names");
    fail(start, std::string("unexpected character '") + c + "'");
  }

  Token number(std::size_t start) {
    while (pos_ < text_.size() && is_digit(text_[pos_]))
      ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_]))
        ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ >= text_.size() || !is_digit(text_[pos_]))
        fail(start, "incomplete exponent in number '" +
                        std::string(text_.substr(start, pos_ - start)) + "'; write e.g. 1e-3");
      while (pos_ < text_.size() && is_digit(text_[pos_]))
        ++pos_;
    }
    if (pos_ < text_.size() && (is_name_char(text_[pos_]) || text_[pos_] == '.'))
      fail(start, "malformed number '" + std::string(text_.substr(start, pos_ + 1 - start)) + "'");
    const std::string_view digits = text_.substr(start, pos_ - start);
    Token token{TokenKind::number, digits, start};
    // from_chars does not take a leading '.', so ".5" is read as "0.5".
    const std::string spelled =
        digits.front() == '.' ? "0" + std::string(digits) : std::string(digits);
    const auto [end, error] =
        std::from_chars(spelled.data(), spelled.data() + spelled.size(), token.number);
    if (error == std::errc::result_out_of_range || !std::isfinite(token.number))
      fail(start, "number '" + std::string(digits) + "' is out of the range of doubles");
    if (error != std::errc() || end != spelled.data() + spelled.size())
      fail(start, "malformed number '" + std::string(digits) + "'");
    return token;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

class RuleParser {
 public:
  RuleParser(std::string_view text, RuleScope scope)
      : text_(text), scope_(scope), tokens_(Lexer(text).tokens()) {}

  RuleExpression parse() {
    out_.text_ = std::string(text_);
    if (peek().kind == TokenKind::end)
      fail(peek(), "empty condition; write a comparison such as 'mk_z < 0'");
    out_.root_ = parse_or();
    if (peek().kind == TokenKind::close) fail(peek(), "unmatched ')'");
    if (peek().kind != TokenKind::end) {
      check_keyword_case(peek());
      fail(peek(), "unexpected " + describe(peek()) +
                       " after a complete condition; join conditions with 'and' or 'or'");
    }
    return std::move(out_);
  }

 private:
  using Node = RuleExpression::Node;
  using Kind = RuleExpression::Kind;

  const Token& peek() const { return tokens_[next_]; }
  const Token& advance() { return tokens_[next_++]; }

  [[noreturn]] void fail(const Token& at, const std::string& problem) const {
    throw RuleSyntaxError(char_position(text_, at.offset), problem);
  }

  static std::string describe(const Token& token) {
    if (token.kind == TokenKind::end) return "the end of the condition";
    return "'" + std::string(token.text) + "'";
  }

  // "AND", "Or", "NOT" where a keyword belongs: say keywords are lower case.
  void check_keyword_case(const Token& token) const {
    if (token.kind != TokenKind::name) return;
    const std::string keyword = lower(token.text);
    if (keyword == "and" || keyword == "or" || keyword == "not")
      fail(token,
           "'" + std::string(token.text) + "': keywords are lower case; write '" + keyword + "'");
  }

  int add(Node node) {
    out_.nodes_.push_back(node);
    return static_cast<int>(out_.nodes_.size()) - 1;
  }

  int parse_or() {
    int left = parse_and();
    while (peek().kind == TokenKind::or_) {
      advance();
      Node node;
      node.kind = Kind::or_;
      node.first = left;
      node.second = parse_and();
      left = add(node);
    }
    return left;
  }

  int parse_and() {
    int left = parse_not();
    while (peek().kind == TokenKind::and_) {
      advance();
      Node node;
      node.kind = Kind::and_;
      node.first = left;
      node.second = parse_not();
      left = add(node);
    }
    return left;
  }

  int parse_not() {
    if (peek().kind == TokenKind::not_) {
      advance();
      Node node;
      node.kind = Kind::not_;
      node.first = parse_not();
      return add(node);
    }
    if (peek().kind == TokenKind::open) {
      const Token& open = advance();
      const int inner = parse_or();
      if (peek().kind != TokenKind::close)
        fail(peek(), "expected ')' to close the '(' at character " +
                         std::to_string(char_position(text_, open.offset)) + ", found " +
                         describe(peek()));
      advance();
      return inner;
    }
    return parse_comparison();
  }

  int parse_comparison() {
    Node node;
    node.kind = Kind::compare;
    const Token& first = peek();
    node.left = parse_operand();
    if (peek().kind != TokenKind::compare) {
      check_keyword_case(peek());
      const std::string after(text_.substr(
          first.offset, tokens_[next_ - 1].offset + tokens_[next_ - 1].text.size() - first.offset));
      fail(peek(), "expected a comparison (<, <=, >, >=, ==, !=) after '" + after + "', found " +
                       describe(peek()));
    }
    node.op = advance().op;
    node.right = parse_operand();
    if (peek().kind == TokenKind::compare)
      fail(peek(), "comparisons do not chain; write 'a < b and b < c'");
    return add(node);
  }

  RuleExpression::Operand parse_operand() {
    RuleExpression::Operand operand;
    if (peek().kind == TokenKind::minus) {
      advance();
      operand.negate = true;
    }
    const Token& token = peek();
    if (token.kind == TokenKind::number) {
      advance();
      operand.number = token.number;
      return operand;
    }
    if (token.kind == TokenKind::name) {
      advance();
      const auto statistic = find_statistic(token.text);
      if (!statistic) {
        const std::string word(token.text);
        check_keyword_case(token);
        const std::string best = nearest_statistic(word);
        fail(token, "unknown statistic '" + word + "'" +
                        (best.empty() ? "" : "; did you mean '" + best + "'?") +
                        " (`minecarbon warning --list-statistics` lists them)");
      }
      if (scope_ == RuleScope::pixel && !statistic_info(*statistic).per_pixel)
        fail(token, "'" + std::string(token.text) +
                        "' is not computed per pixel; pixel rules may name only the statistics "
                        "marked 'pixel' by `minecarbon warning --list-statistics`");
      operand.is_statistic = true;
      operand.statistic = *statistic;
      bool seen = false;
      for (Statistic known : out_.statistics_)
        seen = seen || known == *statistic;
      if (!seen) out_.statistics_.push_back(*statistic);
      return operand;
    }
    if (token.kind == TokenKind::and_ || token.kind == TokenKind::or_ ||
        token.kind == TokenKind::not_)
      fail(token, "expected a statistic name or a number, found the keyword " + describe(token));
    fail(token, "expected a statistic name or a number, found " + describe(token));
  }

  std::string_view text_;
  RuleScope scope_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  RuleExpression out_;
};

StatisticValues::StatisticValues() {
  values_.fill(std::numeric_limits<double>::quiet_NaN());
}

void StatisticValues::set(std::string_view name, double value) {
  const auto id = find_statistic(name);
  if (!id) throw std::invalid_argument("StatisticValues: unknown statistic " + std::string(name));
  set(*id, value);
}

RuleExpression RuleExpression::parse(std::string_view text, RuleScope scope) {
  return RuleParser(text, scope).parse();
}

Truth RuleExpression::evaluate(std::span<const double> values) const {
  if (root_ < 0)
    throw std::logic_error("RuleExpression::evaluate: the expression was never parsed");
  if (values.size() != kStatisticCount)
    throw std::invalid_argument("RuleExpression::evaluate: one value per statistic expected");
  return evaluate_node(root_, values);
}

Truth RuleExpression::evaluate_node(int index, std::span<const double> values) const {
  const Node& node = nodes_[static_cast<std::size_t>(index)];
  switch (node.kind) {
    case Kind::not_: {
      const Truth inner = evaluate_node(node.first, values);
      if (inner == Truth::unknown) return Truth::unknown;
      return inner == Truth::true_ ? Truth::false_ : Truth::true_;
    }
    case Kind::and_: {
      const Truth a = evaluate_node(node.first, values), b = evaluate_node(node.second, values);
      if (a == Truth::false_ || b == Truth::false_) return Truth::false_;
      if (a == Truth::unknown || b == Truth::unknown) return Truth::unknown;
      return Truth::true_;
    }
    case Kind::or_: {
      const Truth a = evaluate_node(node.first, values), b = evaluate_node(node.second, values);
      if (a == Truth::true_ || b == Truth::true_) return Truth::true_;
      if (a == Truth::unknown || b == Truth::unknown) return Truth::unknown;
      return Truth::false_;
    }
    case Kind::compare:
      break;
  }
  const auto value = [&](const Operand& operand) {
    const double v =
        operand.is_statistic ? values[static_cast<std::size_t>(operand.statistic)] : operand.number;
    return operand.negate ? -v : v;
  };
  const double a = value(node.left), b = value(node.right);
  if (std::isnan(a) || std::isnan(b)) return Truth::unknown;
  bool result = false;
  switch (node.op) {
    case CompareOp::less:
      result = a < b;
      break;
    case CompareOp::less_equal:
      result = a <= b;
      break;
    case CompareOp::greater:
      result = a > b;
      break;
    case CompareOp::greater_equal:
      result = a >= b;
      break;
    case CompareOp::equal:
      result = a == b;
      break;
    case CompareOp::not_equal:
      result = a != b;
      break;
  }
  return result ? Truth::true_ : Truth::false_;
}

std::string RuleExpression::canonical() const {
  return canonical_node(root_);
}

std::string RuleExpression::canonical_node(int index) const {
  const Node& node = nodes_[static_cast<std::size_t>(index)];
  switch (node.kind) {
    case Kind::not_:
      return "(not " + canonical_node(node.first) + ")";
    case Kind::and_:
      return "(" + canonical_node(node.first) + " and " + canonical_node(node.second) + ")";
    case Kind::or_:
      return "(" + canonical_node(node.first) + " or " + canonical_node(node.second) + ")";
    case Kind::compare:
      break;
  }
  const auto operand = [](const Operand& o) {
    const std::string body =
        o.is_statistic ? std::string(statistic_info(o.statistic).name) : format_plain(o.number);
    return (o.negate ? "-" : "") + body;
  };
  return "(" + operand(node.left) + " " + std::string(op_text(node.op)) + " " +
         operand(node.right) + ")";
}

std::string caret_line(std::size_t position) {
  return std::string(position > 0 ? position - 1 : 0, ' ') + "^";
}

}  // namespace minecarbon::assess::warning
