// `minecarbon serve PROJECT_DIR`: the local decision-support platform (web/api.h, docs/serve.md).
// The first line on stdout is exactly `minecarbon serve: http://HOST:PORT/?token=TOKEN`, so a
// program that starts the server (a test, a desktop launcher) reads the address from it.
#include <fstream>
#include <iostream>
#include <sstream>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/report/web_assets.h"
#include "minecarbon/web/api.h"
#include "minecarbon/web/app_assets.h"
#include "minecarbon/web/security.h"

namespace minecarbon::cli {
namespace {

std::string read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("--token-file " + path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' ||
                            token.back() == '\t'))
    token.pop_back();
  if (token.empty())
    throw ConfigError("--token-file " + path + ": the file is empty; write the token in it");
  if (token.find_first_of(" \t\r\n") != std::string::npos)
    throw ConfigError("--token-file " + path + ": the token must be one line without spaces");
  return token;
}

class ServeCommand : public Command {
 public:
  const char* name() const override { return "serve"; }
  const char* description() const override {
    return "serve a folder of projects as a local web platform (map, runs, uploads)";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("project_dir", options_.project_dir,
                   "folder of projects (each subfolder with a project.toml), or one project")
        ->required();
    sub.add_option("--host", options_.host, "address to listen on")->capture_default_str();
    sub.add_option("--port", options_.port, "port (0 picks a free one)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    auto* token = sub.add_option("--token", options_.token,
                                 "the access token (default: 256 random bits, printed once)");
    sub.add_option("--token-file", token_file_, "read the access token from this file")
        ->excludes(token);
    sub.add_flag("--read-only", options_.read_only, "refuse every write (405)");
    sub.add_option("--max-upload-mb", max_upload_mb_, "largest upload in MiB")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    sub.add_option("--allow-host", options_.allow_hosts,
                   "another Host name the server answers to (e.g. behind a proxy); repeatable");
    sub.add_option("--threads", threads_,
                   "HTTP worker threads (each open progress stream holds one)")
        ->check(CLI::Range(2, 256))
        ->capture_default_str();
  }
  void run(RunContext& context) override {
    // The web app is built into the binary (web/app_assets.h); without it there is no front end.
    if (web::app_assets().empty()) throw ConfigError(std::string(report::kNoWebAssetsMessage));
    if (!token_file_.empty()) options_.token = read_token_file(token_file_);
    const bool given = !options_.token.empty();
    if (!given && !web::Security::is_loopback(options_.host))
      throw ConfigError("--host " + options_.host +
                        " is reachable from other machines: give --token or --token-file, so "
                        "that only people with the token can use the server");
    if (!given) options_.token = web::Security::random_token();
    if (options_.token.find_first_of(" \t\r\n;") != std::string::npos)
      throw ConfigError("--token: the token must not hold spaces or ';'");
    options_.max_upload_bytes = static_cast<std::uint64_t>(max_upload_mb_) << 20;
    options_.threads = threads_;
    options_.version = context.version;
    web::Platform platform(options_);
    std::cout << "minecarbon serve: " << platform.url() << std::endl;
    context.say("serving " + options_.project_dir.string() +
                (options_.read_only ? " (read-only)" : "") + "; Ctrl-C stops");
    platform.serve();
  }

 private:
  web::ServeOptions options_;
  std::string token_file_;
  std::int64_t max_upload_mb_ = 1024;
  int threads_ = 8;
};

}  // namespace

std::unique_ptr<Command> make_serve_command() {
  return std::make_unique<ServeCommand>();
}

}  // namespace minecarbon::cli
