// Each option of a stage declared once.
//
// A stage lists its options in one OptionTable<Settings>: key, the member it fills, type, unit,
// default (read off a default-constructed Settings), constraint (range, choices, required) and a
// one-line doc. That one table drives
//   - the project file: read_toml_options() reads a [stage] table with "file:line [stage] key"
//     messages and "did you mean" for unknown keys;
//   - the command line: cli/option_flags.h makes one flag per option (`ring_gap_m` →
//   `--ring-gap-m`);
//   - validation: check_options() applies every range and choice to a filled Settings, so a
//     library caller of a stage gets the same checks as the command line;
//   - the docs and --help: option_rows(), options_markdown(), option_help_suffix();
//   - the `parameters` echo of summary.json: options_json().
//
// Values are checked where they are used, not where they are read: a front end fills Settings,
// then the stage's validate() runs check_options() plus its cross-field rules and throws
// OptionError naming the key, which each front end turns into its own location (a file line or a
// flag). Non-finite numbers are refused for every numeric option.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon {

// "ring_gap_m = 6000: must be < ring_outer_m" for a problem that quotes the value ("= 6000: …"),
// "seed: required" for one that does not: the text after a key, wherever it is reported.
inline std::string with_problem(const std::string& where, const std::string& problem) {
  return where + (problem.rfind("= ", 0) == 0 ? " " : ": ") + problem;
}

// A bad value of one option. `key` is the option's key; front ends add where it was set.
class OptionError : public ConfigError {
 public:
  OptionError(std::string stage, std::string key, std::string problem)
      : ConfigError(stage + ": " + with_problem(key, problem)),
        stage_(std::move(stage)),
        key_(std::move(key)),
        problem_(std::move(problem)) {}
  const std::string& stage() const { return stage_; }
  const std::string& key() const { return key_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string stage_, key_, problem_;
};

enum class OptionType {
  flag,
  integer,
  number,
  text,
  path,
  list,
  path_list,
  choice,
  custom,
  count_list
};

// The name printed in docs and help for each type.
const char* option_type_name(OptionType type);

// Converts a value to and from text for the custom types (a year range, a period list): what
// the command line gives and what the docs show.
template <class T>
struct OptionCodec {
  std::function<T(const std::string& text)> parse;  // throws std::invalid_argument(expected form)
  std::function<std::string(const T& value)> print;
  // Optional: reads a project-file value that is not a string (a number, a list of numbers);
  // unset, the value must be a string read with `parse`.
  std::function<T(const toml::node& node)> from_toml = nullptr;
};

// What every option has, whatever its type.
struct OptionSpec {
  std::string key;
  OptionType type = OptionType::text;
  std::string unit;  // "m", "km2", "gC/m2/yr"; empty for none
  std::string doc;
  std::string default_text;  // as shown in docs; read off a default Settings unless given
  bool required = false;
  bool repeatable = false;  // lists: the flag may be given several times
  std::optional<double> min, max;
  bool min_exclusive = false, max_exclusive = false;
  std::vector<std::string> choices;  // for OptionType::choice and choice lists
  std::string flag;                  // command-line flag; default "--" + key with '-' for '_'
  bool cli = true;                   // false: project file only
  bool must_exist = false;           // paths: the file must exist when the stage is prepared
};

template <class Settings>
struct Option {
  OptionSpec spec;
  // Sets the value from a project-file node; throws std::invalid_argument(expected form).
  std::function<void(Settings&, const toml::node&)> from_toml;
  // Sets (or, for lists, appends) the value from command-line text; throws
  // std::invalid_argument(expected form).
  std::function<void(Settings&, const std::string&)> from_text;
  // The value as JSON, for the summary echo; null when unset.
  std::function<nlohmann::json(const Settings&)> to_json;
  // Checks the value against the spec's constraints; returns the problem or "".
  std::function<std::string(const Settings&)> check;
  // Relative paths are taken from `base`.
  std::function<void(Settings&, const std::filesystem::path& base)> resolve;
  // The paths this option names (for must-exist checks and the output-over-input guard).
  std::function<std::vector<std::string>(const Settings&)> paths;
  // Lists: empties the value, so repeated flags replace the default instead of adding to it.
  std::function<void(Settings&)> reset;
};

namespace option_detail {

std::string range_text(const OptionSpec& spec);
std::string check_number(const OptionSpec& spec, double value);
std::string check_choice(const OptionSpec& spec, const std::string& value);
double parse_number(const std::string& text);
std::int64_t parse_integer(const std::string& text);
bool parse_flag(const std::string& text);
std::string resolve_path(const std::string& path, const std::filesystem::path& base);
std::string flag_of(const std::string& key);
// "3,6,11" → {3, 6, 11}; throws std::invalid_argument(expected form) for anything else.
std::vector<std::size_t> parse_counts(const std::string& text);
// A whole number >= 0 from a project-file node; throws std::invalid_argument.
std::size_t count_from_toml(const toml::node& node);

template <class T>
inline constexpr bool is_integer = std::is_integral_v<T> && !std::is_same_v<T, bool>;

template <class T>
std::string check_integer_limits(std::int64_t value) {
  if constexpr (std::is_unsigned_v<T>) {
    if (value < 0) return "must be >= 0";
  }
  if (static_cast<long double>(value) > static_cast<long double>(std::numeric_limits<T>::max()) ||
      static_cast<long double>(value) < static_cast<long double>(std::numeric_limits<T>::lowest()))
    return "out of range for a whole number of this kind";
  return {};
}

template <class T>
T integer_from(std::int64_t value) {
  if (const std::string problem = check_integer_limits<T>(value); !problem.empty())
    throw std::invalid_argument(problem);
  return static_cast<T>(value);
}

}  // namespace option_detail

// Chained setters for one option's spec, returned by OptionTable::add.
class OptionBuilder {
 public:
  explicit OptionBuilder(OptionSpec& spec) : spec_(spec) {}
  OptionBuilder& unit(std::string u) {
    spec_.unit = std::move(u);
    return *this;
  }
  OptionBuilder& range(double lo, double hi) {
    spec_.min = lo;
    spec_.max = hi;
    return *this;
  }
  OptionBuilder& at_least(double lo) {
    spec_.min = lo;
    return *this;
  }
  OptionBuilder& above(double lo) {
    spec_.min = lo;
    spec_.min_exclusive = true;
    return *this;
  }
  OptionBuilder& at_most(double hi) {
    spec_.max = hi;
    return *this;
  }
  OptionBuilder& below(double hi) {
    spec_.max = hi;
    spec_.max_exclusive = true;
    return *this;
  }
  OptionBuilder& required() {
    spec_.required = true;
    return *this;
  }
  OptionBuilder& must_exist() {
    spec_.must_exist = true;
    return *this;
  }
  OptionBuilder& shown_default(std::string text) {
    spec_.default_text = std::move(text);
    return *this;
  }
  OptionBuilder& flag(std::string f) {
    spec_.flag = std::move(f);
    return *this;
  }
  OptionBuilder& file_only() {
    spec_.cli = false;
    return *this;
  }
  // The accepted values of a text or text-list option (names of an enum kept as text).
  OptionBuilder& choices(std::vector<std::string> names) {
    spec_.choices = std::move(names);
    return *this;
  }

 private:
  OptionSpec& spec_;
};

template <class Settings>
class OptionTable {
 public:
  // The options live on the heap: the checks refer back to their specs by position, so a table
  // can be returned from the function that builds it.
  explicit OptionTable(std::string stage)
      : stage_(std::move(stage)), options_(std::make_shared<std::vector<Option<Settings>>>()) {}

  const std::string& stage() const { return stage_; }
  const std::vector<Option<Settings>>& options() const { return *options_; }
  const Option<Settings>* find(const std::string& key) const {
    for (const auto& o : *options_)
      if (o.spec.key == key) return &o;
    return nullptr;
  }

  // A number, integer or flag member: `ref` maps Settings& to the member, e.g.
  // [](DamageParams& p) -> double& { return p.ring.outer_m; }.
  template <class Ref>
  OptionBuilder add(const char* key, Ref ref, const char* doc) {
    using T = std::remove_reference_t<std::invoke_result_t<Ref, Settings&>>;
    Option<Settings> o;
    o.spec.key = key;
    o.spec.doc = doc;
    if constexpr (std::is_same_v<T, bool>) {
      o.spec.type = OptionType::flag;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        auto v = node.value<bool>();
        if (!v) throw std::invalid_argument("expected true or false");
        ref(s) = *v;
      };
      o.from_text = [ref](Settings& s, const std::string& text) {
        ref(s) = option_detail::parse_flag(text);
      };
      o.to_json = [ref](const Settings& s) {
        return nlohmann::json(ref(const_cast<Settings&>(s)));
      };
    } else if constexpr (option_detail::is_integer<T>) {
      o.spec.type = OptionType::integer;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        auto v = node.value_exact<std::int64_t>();
        if (!v) throw std::invalid_argument("expected a whole number");
        ref(s) = option_detail::integer_from<T>(*v);
      };
      o.from_text = [ref](Settings& s, const std::string& text) {
        ref(s) = option_detail::integer_from<T>(option_detail::parse_integer(text));
      };
      o.to_json = [ref](const Settings& s) {
        return nlohmann::json(ref(const_cast<Settings&>(s)));
      };
    } else if constexpr (std::is_same_v<T, double>) {
      o.spec.type = OptionType::number;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        auto v = node.value<double>();
        if (!v) throw std::invalid_argument("expected a number");
        ref(s) = *v;
      };
      o.from_text = [ref](Settings& s, const std::string& text) {
        ref(s) = option_detail::parse_number(text);
      };
      o.to_json = [ref](const Settings& s) {
        const double v = ref(const_cast<Settings&>(s));
        return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(format_plain(v));
      };
    } else if constexpr (std::is_same_v<T, std::optional<double>>) {
      o.spec.type = OptionType::number;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        auto v = node.value<double>();
        if (!v) throw std::invalid_argument("expected a number");
        ref(s) = *v;
      };
      o.from_text = [ref](Settings& s, const std::string& text) {
        ref(s) = option_detail::parse_number(text);
      };
      o.to_json = [ref](const Settings& s) {
        const auto& v = ref(const_cast<Settings&>(s));
        if (!v) return nlohmann::json();
        return std::isfinite(*v) ? nlohmann::json(*v) : nlohmann::json(format_plain(*v));
      };
    } else if constexpr (std::is_same_v<T, std::optional<std::int64_t>>) {
      o.spec.type = OptionType::integer;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        auto v = node.value_exact<std::int64_t>();
        if (!v) throw std::invalid_argument("expected a whole number");
        ref(s) = *v;
      };
      o.from_text = [ref](Settings& s, const std::string& text) {
        ref(s) = option_detail::parse_integer(text);
      };
      o.to_json = [ref](const Settings& s) {
        const auto& v = ref(const_cast<Settings&>(s));
        return v ? nlohmann::json(*v) : nlohmann::json();
      };
    } else if constexpr (std::is_same_v<T, std::string>) {
      o.spec.type = OptionType::text;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        auto v = node.value_exact<std::string>();
        if (!v) throw std::invalid_argument("expected a string in quotes");
        ref(s) = *v;
      };
      o.from_text = [ref](Settings& s, const std::string& text) { ref(s) = text; };
      o.to_json = [ref](const Settings& s) {
        return nlohmann::json(ref(const_cast<Settings&>(s)));
      };
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      o.spec.type = OptionType::list;
      o.spec.repeatable = true;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        const toml::array* array = node.as_array();
        if (!array) throw std::invalid_argument("expected a list of strings, e.g. [\"a\", \"b\"]");
        std::vector<std::string> out;
        for (const auto& item : *array) {
          auto v = item.value_exact<std::string>();
          if (!v) throw std::invalid_argument("expected a list of strings in quotes");
          out.push_back(*v);
        }
        ref(s) = std::move(out);
      };
      o.from_text = [ref](Settings& s, const std::string& text) { ref(s).push_back(text); };
      o.reset = [ref](Settings& s) { ref(s).clear(); };
      o.to_json = [ref](const Settings& s) {
        return nlohmann::json(ref(const_cast<Settings&>(s)));
      };
    } else if constexpr (std::is_same_v<T, std::vector<std::size_t>>) {
      // A list of counts (a grid of tree sizes): [3, 6, 11] or a single 3 in the project file,
      // "3,6,11" on the command line, where repeated flags add up (and replace the default).
      // range() bounds every item.
      o.spec.type = OptionType::count_list;
      o.spec.repeatable = true;
      o.from_toml = [ref](Settings& s, const toml::node& node) {
        T out;
        if (const toml::array* array = node.as_array()) {
          for (const auto& item : *array)
            out.push_back(option_detail::count_from_toml(item));
        } else {
          out.push_back(option_detail::count_from_toml(node));
        }
        ref(s) = std::move(out);
      };
      o.from_text = [ref](Settings& s, const std::string& text) {
        for (std::size_t value : option_detail::parse_counts(text))
          ref(s).push_back(value);
      };
      o.reset = [ref](Settings& s) { ref(s).clear(); };
      o.to_json = [ref](const Settings& s) {
        return nlohmann::json(ref(const_cast<Settings&>(s)));
      };
    } else {
      static_assert(sizeof(T) == 0, "OptionTable::add: unsupported member type; use add_custom");
    }
    return finish(std::move(o), [ref](const Settings& s) -> decltype(auto) {
      return ref(const_cast<Settings&>(s));
    });
  }

  // A file path member (text), taken relative to the project file's folder.
  template <class Ref>
  OptionBuilder add_path(const char* key, Ref ref, const char* doc) {
    OptionBuilder b = add(key, ref, doc);
    Option<Settings>& o = options_->back();
    using T = std::remove_reference_t<std::invoke_result_t<Ref, Settings&>>;
    if constexpr (std::is_same_v<T, std::string>) {
      o.spec.type = OptionType::path;
      o.resolve = [ref](Settings& s, const std::filesystem::path& base) {
        ref(s) = option_detail::resolve_path(ref(s), base);
      };
      o.paths = [ref](const Settings& s) {
        const std::string& p = ref(const_cast<Settings&>(s));
        return p.empty() ? std::vector<std::string>{} : std::vector<std::string>{p};
      };
    } else {
      static_assert(std::is_same_v<T, std::vector<std::string>>, "add_path: string or list");
      o.spec.type = OptionType::path_list;
      o.resolve = [ref](Settings& s, const std::filesystem::path& base) {
        for (auto& p : ref(s))
          p = option_detail::resolve_path(p, base);
      };
      o.paths = [ref](const Settings& s) { return ref(const_cast<Settings&>(s)); };
    }
    return b;
  }

  // An enum member with its one name table: an array of {value, "name"} pairs.
  template <class Ref, class Names>
  OptionBuilder add_choice(const char* key, Ref ref, const Names& names, const char* doc) {
    using T = std::remove_reference_t<std::invoke_result_t<Ref, Settings&>>;
    Option<Settings> o;
    o.spec.key = key;
    o.spec.doc = doc;
    o.spec.type = OptionType::choice;
    for (const auto& [value, name] : names)
      o.spec.choices.emplace_back(name);
    auto parse = [names, choices = o.spec.choices](const std::string& text) {
      for (const auto& [value, name] : names)
        if (text == name) return value;
      std::string list;
      for (const auto& c : choices)
        list += (list.empty() ? "" : ", ") + c;
      throw std::invalid_argument("expected one of " + list + "; got '" + text + "'");
    };
    o.from_toml = [ref, parse](Settings& s, const toml::node& node) {
      auto v = node.value_exact<std::string>();
      if (!v) throw std::invalid_argument("expected a name in quotes");
      ref(s) = parse(*v);
    };
    o.from_text = [ref, parse](Settings& s, const std::string& text) { ref(s) = parse(text); };
    o.to_json = [ref, names](const Settings& s) {
      const T value = ref(const_cast<Settings&>(s));
      for (const auto& [v, name] : names)
        if (v == value) return nlohmann::json(name);
      return nlohmann::json();
    };
    return finish(std::move(o), nullptr);
  }

  // A member of another type with its text codec (a year range "2000-2020"). With `list`, the
  // member is a std::vector of values, one per repeated flag or list item.
  template <class Ref, class V>
  OptionBuilder add_custom(const char* key, Ref ref, OptionCodec<V> codec, const char* doc) {
    using T = std::remove_reference_t<std::invoke_result_t<Ref, Settings&>>;
    Option<Settings> o;
    o.spec.key = key;
    o.spec.doc = doc;
    o.spec.type = OptionType::custom;
    if constexpr (std::is_same_v<T, std::vector<V>>) {
      o.spec.repeatable = true;
      o.from_toml = [ref, codec](Settings& s, const toml::node& node) {
        const toml::array* array = node.as_array();
        if (!array) throw std::invalid_argument("expected a list of strings in quotes");
        T out;
        for (const auto& item : *array) {
          auto v = item.value_exact<std::string>();
          if (!v) throw std::invalid_argument("expected a list of strings in quotes");
          out.push_back(codec.parse(*v));
        }
        ref(s) = std::move(out);
      };
      o.from_text = [ref, codec](Settings& s, const std::string& text) {
        ref(s).push_back(codec.parse(text));
      };
      o.reset = [ref](Settings& s) { ref(s).clear(); };
      o.to_json = [ref, codec](const Settings& s) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : ref(const_cast<Settings&>(s)))
          out.push_back(codec.print(v));
        return out;
      };
    } else {
      static_assert(std::is_same_v<T, V>, "add_custom: member type must match the codec");
      o.from_toml = [ref, codec](Settings& s, const toml::node& node) {
        if (codec.from_toml) {
          ref(s) = codec.from_toml(node);
          return;
        }
        auto v = node.value_exact<std::string>();
        if (!v) throw std::invalid_argument("expected a string in quotes");
        ref(s) = codec.parse(*v);
      };
      o.from_text = [ref, codec](Settings& s, const std::string& text) {
        ref(s) = codec.parse(text);
      };
      o.to_json = [ref, codec](const Settings& s) {
        return nlohmann::json(codec.print(ref(const_cast<Settings&>(s))));
      };
    }
    return finish(std::move(o), nullptr);
  }

  // Adds every option of `inner` (the options of a part of Settings, e.g. the stage's Params
  // inside the settings that also name its input files).
  template <class Inner, class Ref>
  void include(const OptionTable<Inner>& inner, Ref part) {
    for (const auto& io : inner.options()) {
      Option<Settings> o;
      o.spec = io.spec;
      o.from_toml = [f = io.from_toml, part](Settings& s, const toml::node& n) { f(part(s), n); };
      o.from_text = [f = io.from_text, part](Settings& s, const std::string& t) { f(part(s), t); };
      o.to_json = [f = io.to_json, part](const Settings& s) {
        return f(part(const_cast<Settings&>(s)));
      };
      o.check = [f = io.check, part](const Settings& s) {
        return f(part(const_cast<Settings&>(s)));
      };
      if (io.resolve)
        o.resolve = [f = io.resolve, part](Settings& s, const std::filesystem::path& b) {
          f(part(s), b);
        };
      if (io.paths)
        o.paths = [f = io.paths, part](const Settings& s) {
          return f(part(const_cast<Settings&>(s)));
        };
      if (io.reset) o.reset = [f = io.reset, part](Settings& s) { f(part(s)); };
      options_->push_back(std::move(o));
    }
  }

 private:
  // Fills the default text and the constraint check from the option's value type.
  template <class Get>
  OptionBuilder finish(Option<Settings> o, Get get) {
    if (o.spec.flag.empty()) o.spec.flag = option_detail::flag_of(o.spec.key);
    const std::size_t index = options_->size();
    options_->push_back(std::move(o));
    Option<Settings>& added = options_->back();
    // The check reads the spec from the table at call time, so builder calls made after add()
    // (range, required) take effect.
    added.check = [list = options_.get(), index, get](const Settings& s) -> std::string {
      const OptionSpec& spec = (*list)[index].spec;
      (void)get;  // a custom type without a getter (Get = nullptr_t) has nothing to check
      if constexpr (!std::is_same_v<Get, std::nullptr_t>) {
        using T = std::remove_cv_t<std::remove_reference_t<decltype(get(s))>>;
        const T& v = get(s);
        if constexpr (std::is_same_v<T, double>) {
          return option_detail::check_number(spec, v);
        } else if constexpr (std::is_same_v<T, std::optional<double>> ||
                             std::is_same_v<T, std::optional<std::int64_t>>) {
          if (!v) return spec.required ? "required" : "";
          return option_detail::check_number(spec, static_cast<double>(*v));
        } else if constexpr (option_detail::is_integer<T>) {
          return option_detail::check_number(spec, static_cast<double>(v));
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (spec.required && v.empty()) return "required";
          if (!spec.choices.empty() && !v.empty()) return option_detail::check_choice(spec, v);
          return "";
        } else if constexpr (std::is_same_v<T, std::vector<std::size_t>>) {
          if (spec.required && v.empty()) return "required";
          for (std::size_t idx = 0; idx < v.size(); ++idx)
            if (auto p = option_detail::check_number(spec, static_cast<double>(v[idx])); !p.empty())
              return "item " + std::to_string(idx + 1) + " " + p;
          return "";
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          if (spec.required && v.empty()) return "required";
          for (const auto& item : v)
            if (!spec.choices.empty()) {
              if (auto p = option_detail::check_choice(spec, item); !p.empty()) return p;
            }
          return "";
        } else {
          return "";
        }
      } else {
        (void)s;
        return "";
      }
    };
    defaults_pending_ = true;
    return OptionBuilder(added.spec);
  }

 public:
  // The default text of every option not given one, read off a default-constructed Settings.
  // Called by the first user of the table (docs, help); idempotent.
  void fill_default_texts() const {
    if (!defaults_pending_) return;
    const Settings defaults{};
    for (auto& o : *options_) {
      if (!o.spec.default_text.empty()) continue;
      if (o.spec.required) {
        o.spec.default_text = "(required)";
        continue;
      }
      const nlohmann::json v = o.to_json(defaults);
      if (v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
          (v.is_array() && v.empty()))
        o.spec.default_text = v.is_array() ? "[]" : "(none)";
      else
        o.spec.default_text = v.is_string() ? v.get<std::string>() : v.dump();
    }
    defaults_pending_ = false;
  }

 private:
  std::string stage_;
  std::shared_ptr<std::vector<Option<Settings>>> options_;
  mutable bool defaults_pending_ = false;
};

// The name table of an enum whose module prints it with `print` (a to_string kept elsewhere), for
// add_choice: {value, name} for every value listed.
template <class E, class Print>
std::vector<std::pair<E, std::string>> enum_names(std::initializer_list<E> values, Print print) {
  std::vector<std::pair<E, std::string>> out;
  for (E value : values)
    out.emplace_back(value, std::string(print(value)));
  return out;
}

// The names of a name table, for choices() and messages.
template <class Names>
std::vector<std::string> names_of(const Names& names) {
  std::vector<std::string> out;
  for (const auto& [value, name] : names)
    out.emplace_back(name);
  return out;
}

// Applies every option's constraint to `settings`; throws OptionError for the first violation.
template <class Settings>
void check_options(const OptionTable<Settings>& table, const Settings& settings) {
  for (const auto& o : table.options()) {
    if (std::string problem = o.check(settings); !problem.empty())
      throw OptionError(table.stage(), o.spec.key, problem);
  }
}

// Where a [section] of a project file came from, for messages and relative paths.
struct TomlSource {
  std::string file;                // for messages
  std::string section;             // "damage", or "potential.covariates" for nested tables
  std::filesystem::path base_dir;  // relative paths start here
};

// "file:14 [damage] ring_gap_m" for a key of a table read from `source`.
std::string toml_where(const TomlSource& source, const toml::table& table, const std::string& key);

// Levenshtein distance between two keys, for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b);

// The known key nearest to `key` within 3 edits, or "".
std::string nearest_key(const std::string& key, const std::vector<std::string>& known);

// Reads `table` into `settings` through the option table: unknown keys (except those in
// `also_known`, read by the caller: nested tables) are refused with "did you mean", wrong
// types are refused naming the key and line, relative paths are resolved. Constraints are not
// checked here (validate() does, see toml_option_error()).
template <class Settings>
void read_toml_options(const OptionTable<Settings>& options, const toml::table& table,
                       const TomlSource& source, Settings& settings,
                       const std::vector<std::string>& also_known = {}) {
  std::vector<std::string> known = also_known;
  for (const auto& o : options.options())
    known.push_back(o.spec.key);
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const Option<Settings>* o = options.find(key);
    if (!o) {
      bool extra = false;
      for (const auto& a : also_known)
        extra = extra || a == key;
      if (extra) continue;
      const std::string best = nearest_key(key, known);
      throw ConfigError(toml_where(source, table, key) + ": unknown key" +
                        (best.empty() ? "; see `minecarbon help " + options.stage() + "`"
                                      : "; did you mean '" + best + "'?"));
    }
    try {
      o->from_toml(settings, node);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(toml_where(source, table, key) + ": " + e.what());
    }
  }
  for (const auto& o : options.options())
    if (o.resolve) o.resolve(settings, source.base_dir);
}

// Turns an OptionError from validate() into "file:line [section] key = value: problem".
ConfigError toml_option_error(const OptionError& error, const TomlSource& source,
                              const toml::table& table);

// The paths that `settings` names, for existence checks and the output-over-input guard.
template <class Settings>
std::vector<std::string> option_paths(const OptionTable<Settings>& table,
                                      const Settings& settings) {
  std::vector<std::string> out;
  for (const auto& o : table.options())
    if (o.paths)
      for (auto& p : o.paths(settings))
        out.push_back(std::move(p));
  return out;
}

// Every path option marked must_exist names a file or folder that exists (patterns with {year}
// are checked by their loaders; /vsi paths and PG: sources by GDAL when opened); throws DataError
// (exit 3: an input is missing) naming the key and the path.
template <class Settings>
void check_paths_exist(const OptionTable<Settings>& table, const Settings& settings) {
  for (const auto& o : table.options()) {
    if (!o.spec.must_exist || !o.paths) continue;
    for (const auto& p : o.paths(settings)) {
      std::error_code ec;
      if (p.rfind("/vsi", 0) != 0 && !is_pg_source(p) && !std::filesystem::exists(p, ec))
        throw DataError(table.stage() + ": " + o.spec.key + ": " + p +
                        " does not exist; check the path");
    }
  }
}

// The values of every option, for the `parameters` echo of summary.json.
template <class Settings>
nlohmann::json options_json(const OptionTable<Settings>& table, const Settings& settings) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& o : table.options())
    out[o.spec.key] = o.to_json(settings);
  return out;
}

// One row per option: key, flag, type, unit, default, constraint, doc.
struct OptionRow {
  std::string key, flag, type, unit, default_text, constraint, doc;
};

template <class Settings>
std::vector<OptionRow> option_rows(const OptionTable<Settings>& table) {
  table.fill_default_texts();
  std::vector<OptionRow> rows;
  for (const auto& o : table.options()) {
    const OptionSpec& s = o.spec;
    std::string constraint = option_detail::range_text(s);
    if (!s.choices.empty()) {
      std::string list;
      for (const auto& c : s.choices)
        list += (list.empty() ? "" : ", ") + c;
      constraint = "one of " + list;
    }
    if (s.required) constraint = constraint.empty() ? "required" : "required; " + constraint;
    if (s.must_exist) constraint += constraint.empty() ? "must exist" : "; must exist";
    // A flag that defaults to true is switched off on the command line by --no-<name>.
    std::string flag = s.cli ? s.flag : "";
    if (s.cli && s.type == OptionType::flag && s.default_text == "true" &&
        s.flag.rfind("--no-", 0) != 0)
      flag = "--no-" + s.flag.substr(2);
    rows.push_back(
        {s.key, flag, option_type_name(s.type), s.unit, s.default_text, constraint, s.doc});
  }
  return rows;
}

// The options of one stage as a Markdown table (docs/options/<stage>.md).
std::string options_markdown(const std::string& stage, const std::string& summary,
                             const std::vector<OptionRow>& rows);

// "(m; default 500; >= 0)": what --help prints after an option's doc.
std::string option_help_suffix(const OptionRow& row);

}  // namespace minecarbon
