// Runs as child processes, one at a time, in the order they were asked for.
//
// Each run is `EXE run PROJECT.toml --out runs/<id> --progress jsonl` (the same binary: a crashing
// or memory-hungry run cannot take the server down). The child gets its own process group (so a
// cancel reaches every process it starts), an empty signal mask and SIGTERM when the server dies
// (PR_SET_PDEATHSIG). Its stdout and stderr are one pipe, read line by line: the JSON lines of
// core/progress_jsonl.h become `progress` and `log` events, any other line a `log` event, and the
// end one `done` event {status, exit_code, message} made from the exit status. Events are
// numbered from 1 within a run, so an event stream can resume after Last-Event-ID.
//
// Cancel: a queued run leaves the queue; a running one gets SIGTERM on its process group
// (minecarbon removes its staging folder and exits 143). Either way the run's folder is removed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace minecarbon::web {

struct RunEvent {
  std::uint64_t id = 0;  // 1, 2, … within the run
  std::string type;      // "progress", "log", "done"
  std::string data;      // JSON text
};

enum class RunStatus { queued, running, ok, error, cancelled };
const char* to_string(RunStatus status);

struct RunJob {
  std::string run_id;
  std::filesystem::path dir;      // runs/<id>: removed on cancel
  std::vector<std::string> argv;  // argv[0] is the program's path
};

struct RunState {
  RunStatus status = RunStatus::queued;
  int exit_code = -1;
  std::string message;
  std::string started_utc, finished_utc;
  std::uint64_t last_event = 0;
};

class RunQueue {
 public:
  // Called (from the queue's thread) when a run starts and when it ends, to update run.json.
  using OnChange = std::function<void(const RunJob&, const RunState&)>;

  explicit RunQueue(OnChange on_change = {});
  // Cancels every queued and running run and waits for the child to end.
  ~RunQueue();
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  void submit(RunJob job);
  // false when the queue does not know the run or it has ended.
  bool cancel(const std::string& run_id);
  std::optional<RunState> state(const std::string& run_id) const;
  bool active(const std::string& run_id) const;  // queued or running

  // The run's events after `after` (0 = all), waiting up to `wait` when there are none yet.
  // `ended` says whether the done event is out and every event was returned. nullopt: unknown
  // run.
  std::optional<std::vector<RunEvent>> events(const std::string& run_id, std::uint64_t after,
                                              std::chrono::milliseconds wait, bool& ended) const;

  // UTC now as ISO 8601.
  static std::string now_utc();

 private:
  struct Entry {
    RunJob job;
    RunState state;
    std::vector<RunEvent> events;
    pid_t pid = -1;
    bool cancel_requested = false;
  };
  void worker();
  void run_child(const std::shared_ptr<Entry>& entry);
  void add_event(Entry& entry, const std::string& type, const std::string& data);
  void finish(const std::shared_ptr<Entry>& entry);

  OnChange on_change_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;
  std::deque<std::shared_ptr<Entry>> pending_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace minecarbon::web
