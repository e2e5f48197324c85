// `minecarbon serve` on the command line: the first stdout line, and the bad inputs that exit 2
// naming what is wrong.
#ifdef MC_CLI
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <regex>

#include "test_server_fixture.h"

namespace minecarbon::web::test {
namespace {

struct Exit {
  int code = -1;
  std::string err;
};

Exit run_cli(const std::string& args) {
  const fs::path err = fresh_dir("cli_err") / "stderr";
  const std::string command =
      std::string(MC_CLI) + " " + args + " > /dev/null 2> " + err.string() + " < /dev/null";
  const int status = std::system(command.c_str());
  Exit out{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(err)};
  fs::remove_all(err.parent_path());
  return out;
}

TEST(ServeCli, FirstLineIsTheAddressWithTheToken) {
  const fs::path dir = fresh_dir("cli_ok");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::execl(MC_CLI, MC_CLI, "--quiet", "serve", dir.c_str(), "--port", "0", nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string line;
  char c;
  while (::read(fds[0], &c, 1) == 1 && c != '\n')
    line += c;
  ::close(fds[0]);
  std::smatch m;
  const bool matched = std::regex_match(
      line, m, std::regex(R"(minecarbon serve: http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64}))"));
  if (matched) {
    httplib::Client client("127.0.0.1", std::stoi(m[1]));
    auto health = client.Get("/api/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    client.set_bearer_token_auth(m[2]);
    EXPECT_EQ(client.Get("/api/projects")->status, 200);
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(matched) << line;
  fs::remove_all(dir);
}

TEST(ServeCli, NonLoopbackHostWithoutTokenExits2) {
  const fs::path dir = fresh_dir("cli_host");
  const Exit e = run_cli("serve " + dir.string() + " --host 0.0.0.0 --port 0");
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("--host 0.0.0.0"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("--token"), std::string::npos) << e.err;
  fs::remove_all(dir);
}

TEST(ServeCli, PortInUseIsNamed) {
  const fs::path dir = fresh_dir("cli_port");
  TestServer busy(fresh_dir("cli_busy"));
  const std::string port = std::to_string(busy.port());
  const Exit e = run_cli("serve " + dir.string() + " --port " + port);
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("127.0.0.1:" + port), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("in use"), std::string::npos) << e.err;
  fs::remove_all(dir);
}

TEST(ServeCli, MissingOrUnwritableProjectDirExits2) {
  const fs::path dir = fresh_dir("cli_dir");
  Exit e = run_cli("serve " + (dir / "nowhere").string() + " --port 0");
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("nowhere"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("does not exist"), std::string::npos) << e.err;
  if (::geteuid() != 0) {  // root writes anywhere
    fs::create_directories(dir / "locked");
    fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
    e = run_cli("serve " + (dir / "locked").string() + " --port 0");
    EXPECT_EQ(e.code, 2);
    EXPECT_NE(e.err.find("not writable"), std::string::npos) << e.err;
    fs::permissions(dir / "locked", fs::perms::owner_all);
  }
  fs::remove_all(dir);
}

TEST(ServeCli, EmptyOrUnreadableTokenFileExits2) {
  const fs::path dir = fresh_dir("cli_token");
  { std::ofstream(dir / "empty") << "\n"; }
  Exit e = run_cli("serve " + dir.string() + " --port 0 --token-file " + (dir / "empty").string());
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("empty"), std::string::npos) << e.err;
  e = run_cli("serve " + dir.string() + " --port 0 --token-file " + (dir / "absent").string());
  EXPECT_EQ(e.code, 2);
  EXPECT_NE(e.err.find("cannot be read"), std::string::npos) << e.err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace minecarbon::web::test
#endif
