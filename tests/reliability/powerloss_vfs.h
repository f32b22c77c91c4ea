// An SQLite VFS shim for testing what survives a power cut, and a full disk.
//
// Registered as "lotsen-powerloss", it passes every call to the default
// "unix" VFS, and for each database, WAL and journal file it remembers what
// the file held at its last successful xSync (fsync): before the first write
// to a region after a sync it saves that region's synced bytes. Crash() is
// the power cut: each file goes back to its synced content and size, so every
// write not yet synced is lost, as the operating system's page cache would
// be. From then on, until Reset(), every write, truncate, sync and delete
// through the shim fails with SQLITE_IOERR, so the connections still open
// (which a test then closes) cannot change the files the "reboot" finds.
//
// The same shim can make the disk full: SetDiskFree(n) lets the files opened
// through it (temporary ones too) grow by at most n bytes more in total; a
// write that would grow them further fails with SQLITE_FULL, as the unix VFS
// reports ENOSPC.
// Writes within a file's current size still succeed, as on a real disk.
//
// The shim's state is process-wide and thread-safe; its writes, truncates and
// syncs are serialized by one mutex, so Crash() falls between two of them.
#pragma once

#include <cstdint>
#include <string>

namespace lotsen::reliability {

class PowerLossVfs {
 public:
  static constexpr const char* kName = "lotsen-powerloss";

  // Registers the shim (once; not as the default VFS).
  static void Register();

  // Makes the shim the default VFS (for code that names none), or "unix"
  // again.
  static void SetDefault(bool is_default);

  // The power cut. With keep_probability 0 every unsynced write is lost.
  // Above 0 each 4 KiB chunk written since the last sync is kept with that
  // probability and otherwise reverts (to its synced bytes, or zeros past the
  // synced size), and a file's size change is kept or not at random: a disk
  // that wrote some of its cache, in any order, before the power went.
  static void Crash(double keep_probability = 0, uint32_t seed = 0);

  // Arms the power cut to come just before the `writes`-th write from now to
  // a tracked file (that write is lost too): a moment in the middle of a
  // commit or checkpoint, between its writes and its sync.
  static void CrashAfterWrites(int64_t writes, double keep_probability = 0,
                               uint32_t seed = 0);
  // Whether the power has been cut (and Reset() not yet called).
  static bool crashed();

  // After a Crash(), once the test has closed every connection: forget the
  // crash and take each file as it now is as synced.
  static void Reset();

  // Disk full: the files may grow by `bytes` more in total; negative: no
  // limit (the default).
  static void SetDiskFree(int64_t bytes);

  // Read-only database: from now on a database file opened for writing is
  // opened read-only, as the unix VFS does when the file's mode forbids
  // writing (chmod a-w; no use as root, who may write anyway).
  static void SetReadOnlyDatabase(bool read_only);

  struct Stats {
    int64_t syncs = 0;            // successful xSync calls
    int64_t writes = 0;           // successful xWrite calls
    int64_t reverted_chunks = 0;  // chunks Crash() put back
    int64_t truncated_bytes = 0;  // bytes Crash() cut off the ends of files
    int64_t full_errors = 0;      // writes refused with SQLITE_FULL
  };
  static Stats stats();
};

}  // namespace lotsen::reliability
