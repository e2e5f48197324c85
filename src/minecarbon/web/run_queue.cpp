#include "minecarbon/web/run_queue.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <nlohmann/json.hpp>

#include "minecarbon/core/utc_time.h"

namespace minecarbon::web {
namespace fs = std::filesystem;

const char* to_string(RunStatus status) {
  switch (status) {
    case RunStatus::queued:
      return "queued";
    case RunStatus::running:
      return "running";
    case RunStatus::ok:
      return "ok";
    case RunStatus::error:
      return "error";
    case RunStatus::cancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string RunQueue::now_utc() {
  return utc_now_iso8601();
}

RunQueue::RunQueue(OnChange on_change) : on_change_(std::move(on_change)) {
  worker_ = std::thread([this] { worker(); });
}

RunQueue::~RunQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    for (auto& [id, entry] : entries_)
      if (entry->state.status == RunStatus::running && entry->pid > 0) {
        entry->cancel_requested = true;
        ::kill(-entry->pid, SIGTERM);
      }
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void RunQueue::submit(RunJob job) {
  auto entry = std::make_shared<Entry>();
  entry->job = std::move(job);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_[entry->job.run_id] = entry;
    pending_.push_back(entry);
  }
  changed_.notify_all();
}

bool RunQueue::cancel(const std::string& run_id) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(run_id);
    if (it == entries_.end()) return false;
    entry = it->second;
    if (entry->state.status == RunStatus::queued) {
      pending_.erase(std::remove(pending_.begin(), pending_.end(), entry), pending_.end());
      entry->cancel_requested = true;
    } else if (entry->state.status == RunStatus::running) {
      entry->cancel_requested = true;
      // The whole process group: the run and anything it started.
      if (entry->pid > 0) ::kill(-entry->pid, SIGTERM);
      return true;  // the worker finishes it when the child is gone
    } else {
      return false;
    }
  }
  finish(entry);
  return true;
}

std::optional<RunState> RunQueue::state(const std::string& run_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(run_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second->state;
}

bool RunQueue::active(const std::string& run_id) const {
  const auto s = state(run_id);
  return s && (s->status == RunStatus::queued || s->status == RunStatus::running);
}

std::optional<std::vector<RunEvent>> RunQueue::events(const std::string& run_id,
                                                      std::uint64_t after,
                                                      std::chrono::milliseconds wait,
                                                      bool& ended) const {
  std::unique_lock<std::mutex> lock(mutex_);
  auto it = entries_.find(run_id);
  if (it == entries_.end()) return std::nullopt;
  const std::shared_ptr<Entry> entry = it->second;
  // Over once the done event is out (the state turns final a moment before it).
  auto over = [&] { return !entry->events.empty() && entry->events.back().type == "done"; };
  changed_.wait_for(lock, wait,
                    [&] { return entry->events.size() > after || over() || stopping_; });
  std::vector<RunEvent> out;
  for (std::size_t i = static_cast<std::size_t>(after); i < entry->events.size(); ++i)
    out.push_back(entry->events[i]);
  ended = over();
  return out;
}

void RunQueue::add_event(Entry& entry, const std::string& type, const std::string& data) {
  // Called with mutex_ held.
  RunEvent e;
  e.id = entry.events.size() + 1;
  e.type = type;
  e.data = data;
  entry.events.push_back(std::move(e));
  entry.state.last_event = entry.events.size();
}

void RunQueue::worker() {
  for (;;) {
    std::shared_ptr<Entry> entry;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (stopping_) return;
      entry = pending_.front();
      pending_.pop_front();
      entry->state.status = RunStatus::running;
      entry->state.started_utc = now_utc();
    }
    if (on_change_) on_change_(entry->job, entry->state);
    run_child(entry);
    finish(entry);
  }
}

void RunQueue::run_child(const std::shared_ptr<Entry>& entry) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    entry->state.exit_code = 1;
    entry->state.message = "cannot start the run: no pipe";
    return;
  }
  std::vector<std::string> args = entry->job.argv;
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::closefrom(3);  // the server's sockets stay with the server
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    std::lock_guard<std::mutex> lock(mutex_);
    entry->state.exit_code = 1;
    entry->state.message = "cannot start the run: fork failed";
    return;
  }
  ::setpgid(pid, pid);  // also here, so a cancel right after fork reaches the group
  bool cancel_now = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    entry->pid = pid;
    cancel_now = entry->cancel_requested;
  }
  if (cancel_now) ::kill(-pid, SIGTERM);
  std::string pending, last_text;
  std::string child_message;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (line.empty()) continue;
      std::string type = "log";
      std::string data;
      const auto parsed = nlohmann::json::parse(line, nullptr, false);
      if (parsed.is_object() && parsed.contains("type") && parsed["type"].is_string()) {
        type = parsed["type"];
        nlohmann::json body = parsed;
        body.erase("type");
        if (type == "done") {
          child_message = body.value("message", std::string());
          continue;  // the server's own done event follows, from the exit status
        }
        if (type != "progress" && type != "log") type = "log";
        data = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        if (type == "log") last_text = body.value("message", std::string());
      } else {
        data = nlohmann::json{{"message", line}}.dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace);
        last_text = line;
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        add_event(*entry, type, data);
      }
      changed_.notify_all();
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int code = 1;
  if (WIFEXITED(status)) code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) code = 128 + WTERMSIG(status);
  std::lock_guard<std::mutex> lock(mutex_);
  entry->pid = -1;
  entry->state.exit_code = code;
  entry->state.message = !child_message.empty() ? child_message : code == 0 ? "" : last_text;
  if (code == 127 && WIFEXITED(status) && entry->state.message.empty())
    entry->state.message = "the run could not be started";
}

void RunQueue::finish(const std::shared_ptr<Entry>& entry) {
  RunState final_state;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    RunState& s = entry->state;
    if (entry->cancel_requested) {
      s.status = RunStatus::cancelled;
      s.message = "cancelled";
    } else {
      s.status = s.exit_code == 0 ? RunStatus::ok : RunStatus::error;
    }
    s.finished_utc = now_utc();
    final_state = s;
  }
  // The folder and run.json are in their final state before the done event is out, so a client
  // that reads the run on `done` sees it ended (or gone).
  if (entry->cancel_requested) {
    std::error_code ec;
    fs::remove_all(entry->job.dir, ec);  // the staged folder and everything of the run
  }
  if (on_change_) on_change_(entry->job, final_state);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    add_event(*entry, "done",
              nlohmann::json{{"status", to_string(final_state.status)},
                             {"exit_code", final_state.exit_code},
                             {"message", final_state.message}}
                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  changed_.notify_all();
}

}  // namespace minecarbon::web
