// operator new and delete for the WASI builds: blocks of up to 1 KiB are kept on free lists by
// size class and handed out again without wasi-libc's dlmalloc, which has no per-size cache like
// glibc's tcache and was 8-10 % of a small call (pcs.verify, gate.decide). WASI modules run one
// thread, so the lists need no lock. Each list keeps at most kKeep blocks (about 1 MiB in all at
// worst); the rest go back to free().
#include <malloc.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

constexpr size_t kStep = 16;      // dlmalloc's alignment on wasm32
constexpr size_t kClasses = 65;   // class c serves requests of up to c * kStep bytes
constexpr unsigned kKeep = 32;

struct FreeBlock {
  FreeBlock* next;
};
FreeBlock* heads[kClasses];
unsigned counts[kClasses];

// Every block on list c has at least c * kStep usable bytes.
void* take(size_t n) {
  const size_t c = (n + kStep - 1) / kStep;
  if (c < kClasses && heads[c] != nullptr) {
    FreeBlock* b = heads[c];
    heads[c] = b->next;
    --counts[c];
    return b;
  }
  void* p = std::malloc(c < kClasses ? c * kStep : n);
  if (p == nullptr) std::abort();  // -fno-exceptions: no bad_alloc to throw
  return p;
}

void give(void* p, size_t c) {
  if (c < kClasses && counts[c] < kKeep) {
    heads[c] = new (p) FreeBlock{heads[c]};
    ++counts[c];
    return;
  }
  std::free(p);
}

}  // namespace

void* operator new(size_t n) { return take(n); }
void* operator new[](size_t n) { return take(n); }
void operator delete(void* p) noexcept {
  if (p != nullptr) give(p, malloc_usable_size(p) / kStep);
}
void operator delete[](void* p) noexcept { operator delete(p); }
// A sized delete gets back the size its new was asked for, whose class the block was made for.
void operator delete(void* p, size_t n) noexcept {
  if (p != nullptr) give(p, (n + kStep - 1) / kStep);
}
void operator delete[](void* p, size_t n) noexcept { operator delete(p, n); }
