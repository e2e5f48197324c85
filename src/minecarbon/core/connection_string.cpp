#include "minecarbon/core/connection_string.h"

#include <cctype>
#include <cstddef>

namespace minecarbon {
namespace {

bool starts_with_nocase(const std::string& text, std::size_t at, const char* prefix) {
  for (std::size_t k = 0; prefix[k] != '\0'; ++k) {
    if (at + k >= text.size()) return false;
    if (std::tolower(static_cast<unsigned char>(text[at + k])) != prefix[k]) return false;
  }
  return true;
}

// The end of a conninfo value starting at `at`: a single-quoted value (with \' and \\ escapes,
// libpq's rules) or up to the next blank.
std::size_t value_end(const std::string& text, std::size_t at) {
  if (at < text.size() && text[at] == '\'') {
    std::size_t k = at + 1;
    while (k < text.size() && text[k] != '\'') {
      if (text[k] == '\\' && k + 1 < text.size()) ++k;
      ++k;
    }
    return k < text.size() ? k + 1 : k;
  }
  // A double quote ends it too: the string may sit inside JSON text (a summary's echo).
  std::size_t k = at;
  while (k < text.size() && !std::isspace(static_cast<unsigned char>(text[k])) && text[k] != '"')
    ++k;
  return k;
}

}  // namespace

bool is_pg_source(const std::string& text) {
  return starts_with_nocase(text, 0, "pg:");
}

std::string redact_passwords(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t k = 0;
  while (k < text.size()) {
    // key=value form: "password" at a word start, blanks allowed around '='.
    const bool word_start =
        k == 0 || !(std::isalnum(static_cast<unsigned char>(text[k - 1])) || text[k - 1] == '_');
    if (word_start && starts_with_nocase(text, k, "password")) {
      std::size_t eq = k + 8;
      while (eq < text.size() && text[eq] == ' ')
        ++eq;
      if (eq < text.size() && text[eq] == '=') {
        std::size_t value = eq + 1;
        while (value < text.size() && text[value] == ' ')
          ++value;
        out.append(text, k, value - k);
        out += "***";
        k = value_end(text, value);
        continue;
      }
    }
    // URI form: scheme://user:password@host
    if (starts_with_nocase(text, k, "postgres") && text.find("://", k) != std::string::npos) {
      const std::size_t scheme_end = text.find("://", k);
      const std::string scheme = text.substr(k, scheme_end - k);
      if (scheme == "postgres" || scheme == "postgresql" || scheme == "POSTGRES" ||
          scheme == "POSTGRESQL") {
        const std::size_t auth = scheme_end + 3;
        std::size_t end = auth;
        while (end < text.size() && text[end] != '@' && text[end] != '/' &&
               !std::isspace(static_cast<unsigned char>(text[end])))
          ++end;
        const std::size_t colon = text.find(':', auth);
        if (end < text.size() && text[end] == '@' && colon != std::string::npos && colon < end) {
          out.append(text, k, colon + 1 - k);
          out += "***";
          k = end;
          continue;
        }
      }
    }
    out += text[k];
    ++k;
  }
  return out;
}

}  // namespace minecarbon
