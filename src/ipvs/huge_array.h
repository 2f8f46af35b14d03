// huge_array.h — a fixed-size array of trivially copyable T in its own anonymous mapping,
// advised to use transparent huge pages.
//
// The connection pool and its hash buckets are hundreds of megabytes touched at random; with
// 4 KiB pages nearly every lookup also misses the TLB.  Memory starts zeroed.
//
//   HugeArray<Conn> pool(1 << 20);   pool[7].cport = 80;
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <type_traits>

namespace ulvs::ipvs {

template <class T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T>, "HugeArray holds plain data only");

 public:
  explicit HugeArray(size_t n) : n_(n), bytes_(n > 0 ? n * sizeof(T) : 1) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, bytes_, MADV_HUGEPAGE);  // a hint: without THP it is simply ignored
    p_ = static_cast<T*>(p);
  }
  ~HugeArray() { munmap(p_, bytes_); }
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;

  T& operator[](size_t i) { return p_[i]; }
  const T& operator[](size_t i) const { return p_[i]; }
  T* data() { return p_; }
  const T* data() const { return p_; }
  size_t size() const { return n_; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }

 private:
  T* p_;
  size_t n_, bytes_;
};

}  // namespace ulvs::ipvs
