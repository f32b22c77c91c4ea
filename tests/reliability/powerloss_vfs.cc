#include "tests/reliability/powerloss_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <vector>

namespace lotsen::reliability {
namespace {

constexpr int64_t kChunk = 4096;

// What the shim knows about one file (by its full path).
struct FileState {
  std::string path;
  int64_t synced_size = 0;  // its size at the last successful sync
  int64_t size = 0;         // its size now
  // Chunk index -> the chunk's bytes at the last sync, saved before the first
  // write after it (only chunks below synced_size).
  std::map<int64_t, std::string> originals;
  std::set<int64_t> dirty;        // chunks written since the last sync
  bool cut_below_synced = false;  // truncated below synced_size since then
  bool deleted = false;
  std::vector<sqlite3_file*> handles;  // the unix VFS's handles open on it
};

struct Shim {
  std::mutex mu;
  sqlite3_vfs vfs{};
  sqlite3_vfs* real = nullptr;  // "unix"
  // Nodes are never erased: open files point into them.
  std::map<std::string, FileState> files;
  bool crashed = false;
  int64_t disk_free = -1;     // bytes the files may still grow; -1: no limit
  bool read_only_db = false;  // SetReadOnlyDatabase
  // CrashAfterWrites: writes to go before the power cut (0: none armed).
  int64_t crash_countdown = 0;
  double crash_keep = 0;
  uint32_t crash_seed = 0;
  PowerLossVfs::Stats stats;
};

Shim& G() {
  static Shim* shim = new Shim;  // never destroyed: outlives every connection
  return *shim;
}

// What SQLite allocates for a file opened through the shim (szOsFile bytes):
// this header, then the unix VFS's own file object.
struct ShimFile {
  sqlite3_file base;   // first, so SQLite's pointer is ours
  sqlite3_file* real;  // the unix VFS's file, right after this struct
  FileState* state;    // null for files not tracked (temporary files)
};
static_assert(sizeof(ShimFile) % 8 == 0, "the real file must stay aligned");

sqlite3_file* Real(sqlite3_file* f) {
  return reinterpret_cast<ShimFile*>(f)->real;
}
FileState* State(sqlite3_file* f) {
  return reinterpret_cast<ShimFile*>(f)->state;
}

int64_t RealSize(sqlite3_file* real) {
  sqlite3_int64 n = 0;
  real->pMethods->xFileSize(real, &n);
  return n;
}

// Before the first write to [from, to) after a sync: saves the synced bytes
// of each chunk it touches, and marks the chunks dirty.
void SaveChunks(FileState& st, sqlite3_file* real, int64_t from, int64_t to) {
  for (int64_t c = from / kChunk; c * kChunk < to; ++c) {
    st.dirty.insert(c);
    if (c * kChunk >= st.synced_size || st.originals.count(c)) continue;
    std::string bytes(std::min(kChunk, st.synced_size - c * kChunk), '\0');
    // A short read fills the rest with zeros, which is what the file holds.
    real->pMethods->xRead(real, bytes.data(), static_cast<int>(bytes.size()),
                          c * kChunk);
    st.originals[c] = std::move(bytes);
  }
}

void CrashLocked(Shim& g, double keep_probability, uint32_t seed);

// --- sqlite3_io_methods: the tracked calls ---------------------------------

int ShimWrite(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  if (g.crashed) return SQLITE_IOERR_WRITE;
  FileState* st = State(f);
  const int64_t end = off + amt;
  if (st != nullptr && g.crash_countdown > 0 && --g.crash_countdown == 0) {
    // The power goes just before this write reaches the disk.
    CrashLocked(g, g.crash_keep, g.crash_seed);
    return SQLITE_IOERR_WRITE;
  }
  if (g.disk_free >= 0) {
    // Temporary files (statement and savepoint journals) take room too.
    const int64_t growth = end - (st ? st->size : RealSize(Real(f)));
    if (growth > g.disk_free) {
      ++g.stats.full_errors;
      return SQLITE_FULL;  // what the unix VFS answers to ENOSPC
    }
    if (growth > 0) g.disk_free -= growth;
  }
  if (st != nullptr) SaveChunks(*st, Real(f), off, end);
  const int rc = Real(f)->pMethods->xWrite(Real(f), buf, amt, off);
  if (rc == SQLITE_OK) {
    ++g.stats.writes;
    if (st != nullptr) st->size = std::max(st->size, end);
  }
  return rc;
}

int ShimTruncate(sqlite3_file* f, sqlite3_int64 size) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  if (g.crashed) return SQLITE_IOERR_TRUNCATE;
  FileState* st = State(f);
  if (st != nullptr && size < st->synced_size) {
    SaveChunks(*st, Real(f), size, st->synced_size);
    st->cut_below_synced = true;
  }
  const int rc = Real(f)->pMethods->xTruncate(Real(f), size);
  if (rc == SQLITE_OK && st != nullptr) {
    if (g.disk_free >= 0 && size < st->size) g.disk_free += st->size - size;
    st->size = size;
  }
  return rc;
}

int ShimSync(sqlite3_file* f, int flags) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  if (g.crashed) return SQLITE_IOERR_FSYNC;
  const int rc = Real(f)->pMethods->xSync(Real(f), flags);
  if (rc == SQLITE_OK) {
    ++g.stats.syncs;
    if (FileState* st = State(f)) {
      // Everything written so far is durable now.
      st->originals.clear();
      st->dirty.clear();
      st->cut_below_synced = false;
      st->size = st->synced_size = RealSize(Real(f));
    }
  }
  return rc;
}

int ShimClose(sqlite3_file* f) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  if (FileState* st = State(f)) {
    std::erase(st->handles, Real(f));
  }
  // Closing does not sync: what was not synced stays at risk.
  return Real(f)->pMethods->xClose(Real(f));
}

// --- sqlite3_io_methods: passed through -------------------------------------

int ShimRead(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), buf, amt, off);
}
int ShimFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int ShimLock(sqlite3_file* f, int level) {
  return Real(f)->pMethods->xLock(Real(f), level);
}
int ShimUnlock(sqlite3_file* f, int level) {
  return Real(f)->pMethods->xUnlock(Real(f), level);
}
int ShimCheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int ShimFileControl(sqlite3_file* f, int op, void* arg) {
  // A size hint may make the unix VFS grow the file behind the shim's back
  // (only with a chunk size set); it is only a hint, so decline it.
  if (op == SQLITE_FCNTL_SIZE_HINT) return SQLITE_NOTFOUND;
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int ShimSectorSize(sqlite3_file* f) {
  return Real(f)->pMethods->xSectorSize(Real(f));
}
int ShimDeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
// The WAL index (-shm) is shared memory, never durable, rebuilt from the WAL
// by the first connection after a crash; it is passed through.
int ShimShmMap(sqlite3_file* f, int region, int size, int extend,
               void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
int ShimShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShimShmBarrier(sqlite3_file* f) {
  Real(f)->pMethods->xShmBarrier(Real(f));
}
int ShimShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}

// Version 2: shared memory (WAL) but no memory-mapped I/O, so every write
// to the files goes through ShimWrite.
const sqlite3_io_methods kMethods = {
    2,
    ShimClose,
    ShimRead,
    ShimWrite,
    ShimTruncate,
    ShimSync,
    ShimFileSize,
    ShimLock,
    ShimUnlock,
    ShimCheckReservedLock,
    ShimFileControl,
    ShimSectorSize,
    ShimDeviceCharacteristics,
    ShimShmMap,
    ShimShmLock,
    ShimShmBarrier,
    ShimShmUnmap,
    nullptr,
    nullptr,
};

// --- sqlite3_vfs -------------------------------------------------------------

sqlite3_vfs* R() { return G().real; }

int ShimOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
             int* out_flags) {
  auto* f = reinterpret_cast<ShimFile*>(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->state = nullptr;
  f->base.pMethods = nullptr;
  if ((flags & SQLITE_OPEN_MAIN_DB) && (flags & SQLITE_OPEN_READWRITE)) {
    std::lock_guard lock(G().mu);
    if (G().read_only_db) {
      // What the unix VFS does when open(O_RDWR) fails with EACCES: open
      // read-only and say so.
      flags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
              SQLITE_OPEN_READONLY;
    }
  }
  const int rc = R()->xOpen(R(), name, f->real, flags, out_flags);
  // If the unix VFS left a file to close, SQLite must close it through us.
  if (f->real->pMethods == nullptr) return rc;
  f->base.pMethods = &kMethods;
  if (rc != SQLITE_OK) return rc;
  const int durable = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL |
                      SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL;
  if (name == nullptr || (flags & durable) == 0) return rc;
  Shim& g = G();
  std::lock_guard lock(g.mu);
  auto [it, fresh] = g.files.try_emplace(name);
  FileState& st = it->second;
  if (fresh || st.deleted ||
      (st.handles.empty() && st.dirty.empty() && !st.cut_below_synced)) {
    // A file found on disk, with nothing unsynced written through the shim,
    // counts as synced: it was there before (perhaps written without the
    // shim since).
    st = FileState();
    st.path = name;
    st.size = st.synced_size = RealSize(f->real);
  }
  st.handles.push_back(f->real);
  f->state = &st;
  return rc;
}

int ShimDelete(sqlite3_vfs*, const char* name, int sync_dir) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  if (g.crashed) return SQLITE_IOERR_DELETE;
  const int rc = R()->xDelete(R(), name, sync_dir);
  if (rc == SQLITE_OK) {
    // Taken as durable at once. SQLite deletes a WAL only after the database
    // file has been synced, so this loses nothing a sync had promised.
    auto it = g.files.find(name);
    if (it != g.files.end()) {
      FileState& st = it->second;
      if (g.disk_free >= 0) g.disk_free += st.size;
      st.originals.clear();
      st.dirty.clear();
      st.size = st.synced_size = 0;
      st.deleted = true;
    }
  }
  return rc;
}

void CrashLocked(Shim& g, double keep_probability, uint32_t seed) {
  g.crashed = true;
  g.crash_countdown = 0;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> coin(0, 1);
  for (auto& [path, st] : g.files) {
    if (st.deleted) continue;
    if (st.dirty.empty() && st.size == st.synced_size) continue;
    // Through a handle still open if there is one: closing a second
    // descriptor of the file would drop this process's POSIX locks on it.
    sqlite3_file* h = st.handles.empty() ? nullptr : st.handles.front();
    const int fd = h ? -1 : open(path.c_str(), O_RDWR);
    if (!h && fd < 0) continue;
    auto write_at = [&](const std::string& bytes, int64_t off) {
      if (h) {
        h->pMethods->xWrite(h, bytes.data(), static_cast<int>(bytes.size()),
                            off);
      } else if (pwrite(fd, bytes.data(), bytes.size(), off) < 0) {
        // Nothing better to do in a simulated power cut.
      }
    };
    auto set_size = [&](int64_t n) {
      if (h) {
        h->pMethods->xTruncate(h, n);
      } else if (ftruncate(fd, n) != 0) {
      }
    };
    int64_t final_size = st.synced_size;
    if (keep_probability <= 0 || st.cut_below_synced) {
      // Every unsynced write lost: the synced size and bytes come back.
      set_size(st.synced_size);
      for (const auto& [c, bytes] : st.originals) {
        write_at(bytes, c * kChunk);
        ++g.stats.reverted_chunks;
      }
    } else {
      // Some of the cache reached the disk: the size change or not, and
      // each chunk or not; a chunk lost past the synced size reads as zeros.
      if (coin(rng) < 0.5) final_size = st.size;
      set_size(final_size);
      for (int64_t c : st.dirty) {
        if (coin(rng) < keep_probability || c * kChunk >= final_size) continue;
        auto it = st.originals.find(c);
        std::string bytes = it == st.originals.end() ? "" : it->second;
        bytes.resize(std::min(kChunk, final_size - c * kChunk), '\0');
        write_at(bytes, c * kChunk);
        ++g.stats.reverted_chunks;
      }
    }
    if (st.size > final_size) g.stats.truncated_bytes += st.size - final_size;
    st.size = st.synced_size = final_size;
    st.originals.clear();
    st.dirty.clear();
    st.cut_below_synced = false;
    if (fd >= 0) close(fd);
  }
}

}  // namespace

void PowerLossVfs::Register() {
  static std::once_flag once;
  std::call_once(once, [] {
    Shim& g = G();
    g.real = sqlite3_vfs_find("unix");
    // A copy of "unix" with our own open and delete. Its other methods
    // (path names, access, randomness, time, dynamic loading) do not look at
    // the VFS object beyond mxPathname, which the copy keeps.
    sqlite3_vfs& v = g.vfs;
    v = *g.real;
    v.pNext = nullptr;
    v.zName = kName;
    v.szOsFile = static_cast<int>(sizeof(ShimFile)) + g.real->szOsFile;
    v.xOpen = ShimOpen;
    v.xDelete = ShimDelete;
    sqlite3_vfs_register(&v, /*makeDflt=*/0);
  });
}

void PowerLossVfs::SetDefault(bool is_default) {
  Register();
  sqlite3_vfs_register(is_default ? &G().vfs : G().real, /*makeDflt=*/1);
}

void PowerLossVfs::Crash(double keep_probability, uint32_t seed) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  CrashLocked(g, keep_probability, seed);
}

void PowerLossVfs::CrashAfterWrites(int64_t writes, double keep_probability,
                                    uint32_t seed) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  g.crash_countdown = writes;
  g.crash_keep = keep_probability;
  g.crash_seed = seed;
}

bool PowerLossVfs::crashed() {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  return g.crashed;
}

void PowerLossVfs::Reset() {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  g.crashed = false;
  g.crash_countdown = 0;
  for (auto& [path, st] : g.files) {
    struct stat info;
    st.deleted = stat(path.c_str(), &info) != 0;
    st.size = st.synced_size = st.deleted ? 0 : info.st_size;
    st.originals.clear();
    st.dirty.clear();
    st.cut_below_synced = false;
  }
}

void PowerLossVfs::SetReadOnlyDatabase(bool read_only) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  g.read_only_db = read_only;
}

void PowerLossVfs::SetDiskFree(int64_t bytes) {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  g.disk_free = bytes;
}

PowerLossVfs::Stats PowerLossVfs::stats() {
  Shim& g = G();
  std::lock_guard lock(g.mu);
  return g.stats;
}

}  // namespace lotsen::reliability
