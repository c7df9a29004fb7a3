package workload

import (
	"maps"
	"math"
	"math/bits"
	"slices"
)

// exactDurations is how many durations a query keeps before it switches
// to a histogram: percentiles are exact below it.
const exactDurations = 256

// gamma is the ratio between consecutive histogram buckets: a value is
// reported within (gamma-1)/2 = 1 % of the truth.
const gamma = 1.02

var logGamma = math.Log(gamma)

// durations holds the individually timed durations of a query: the values
// themselves while they are few, then a logarithmic histogram (the
// DDSketch scheme) whose size depends on the spread of the values, not on
// their number: counts[i] is the number of durations in bucket base+i,
// (gamma^(k-1), gamma^k] for bucket k.
type durations struct {
	n      int64
	exact  []float64
	hist   bool
	base   int32
	counts []uint32
	zeros  int64
}

func (d *durations) add(ms float64) {
	d.n++
	if !d.hist {
		d.exact = append(d.exact, ms)
		if len(d.exact) > exactDurations {
			d.toHist()
		}
		return
	}
	d.bucket(ms, 1)
}

func (d *durations) toHist() {
	d.hist = true
	for _, v := range d.exact {
		d.bucket(v, 1)
	}
	d.exact = nil
}

// maxBucket keeps bucket numbers in range for absurd durations.
const maxBucket = 1 << 20

func (d *durations) bucket(ms float64, n uint32) {
	if !(ms > 0) {
		d.zeros += int64(n)
		return
	}
	k := int32(min(max(math.Ceil(math.Log(ms)/logGamma), -maxBucket), maxBucket))
	switch {
	case len(d.counts) == 0:
		d.base = k
		d.counts = append(d.counts, 0)
	case k < d.base:
		grow := int(d.base - k)
		d.counts = append(make([]uint32, grow, grow+len(d.counts)), d.counts...)
		d.base = k
	case int(k-d.base) >= len(d.counts):
		d.counts = append(d.counts, make([]uint32, int(k-d.base)-len(d.counts)+1)...)
	}
	d.counts[k-d.base] += n
}

// quantile returns the p-quantile by the nearest-rank method.
func (d *durations) quantile(p float64) float64 {
	if d.n == 0 {
		return 0
	}
	rank := int64(math.Ceil(p * float64(d.n)))
	rank = min(max(rank, 1), d.n)
	if !d.hist {
		s := slices.Clone(d.exact)
		slices.Sort(s)
		return s[rank-1]
	}
	if rank <= d.zeros {
		return 0
	}
	seen := d.zeros
	for i, c := range d.counts {
		seen += int64(c)
		if seen >= rank {
			// The middle of the bucket in the relative sense.
			return 2 * math.Pow(gamma, float64(d.base+int32(i))) / (gamma + 1)
		}
	}
	return 2 * math.Pow(gamma, float64(d.base+int32(len(d.counts)-1))) / (gamma + 1)
}

func (d *durations) merge(o *durations) {
	if o.n == 0 {
		return
	}
	if !d.hist && !o.hist && len(d.exact)+len(o.exact) <= exactDurations {
		d.exact = append(d.exact, o.exact...)
		d.n += o.n
		return
	}
	if !d.hist {
		d.toHist()
	}
	for _, v := range o.exact {
		d.bucket(v, 1)
	}
	for i, c := range o.counts {
		if c > 0 {
			d.bucket(2*math.Pow(gamma, float64(o.base+int32(i)))/(gamma+1), c)
		}
	}
	d.zeros += o.zeros
	d.n += o.n
}

func (d durations) clone() durations {
	d.exact = slices.Clone(d.exact)
	d.counts = slices.Clone(d.counts)
	return d
}

// exactSessions is how many distinct sessions a query remembers by name
// before it switches to a HyperLogLog estimate.
const exactSessions = 1000

// hllBits sets the number of HyperLogLog registers (2^hllBits): a
// standard error of 1.04/sqrt(4096), about 1.6 %.
const hllBits = 12

// sessionSet counts distinct sessions in bounded memory. Sessions are
// remembered by a 64-bit hash of their name (a collision among a thousand
// names is about 3e-14 likely).
type sessionSet struct {
	exact map[uint64]struct{}
	hll   []uint8
	last  uint64
}

func (s *sessionSet) add(name string) {
	h := hash64(name)
	if h == s.last && (s.exact != nil || s.hll != nil) {
		return
	}
	s.last = h
	s.addHash(h)
}

func (s *sessionSet) addHash(h uint64) {
	if s.hll != nil {
		s.hllAdd(h)
		return
	}
	if s.exact == nil {
		s.exact = map[uint64]struct{}{}
	}
	s.exact[h] = struct{}{}
	if len(s.exact) > exactSessions {
		s.toHLL()
	}
}

func (s *sessionSet) toHLL() {
	s.hll = make([]uint8, 1<<hllBits)
	for h := range s.exact {
		s.hllAdd(h)
	}
	s.exact = nil
}

func (s *sessionSet) hllAdd(h uint64) {
	idx := h >> (64 - hllBits)
	rank := uint8(bits.LeadingZeros64(h<<hllBits|1<<(hllBits-1)) + 1)
	if rank > s.hll[idx] {
		s.hll[idx] = rank
	}
}

func (s *sessionSet) count() int {
	if s.hll == nil {
		return len(s.exact)
	}
	m := float64(len(s.hll))
	sum, zeros := 0.0, 0
	for _, r := range s.hll {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	alpha := 0.7213 / (1 + 1.079/m)
	est := alpha * m * m / sum
	if est <= 2.5*m && zeros > 0 {
		est = m * math.Log(m/float64(zeros))
	}
	return int(math.Round(est))
}

func (s *sessionSet) merge(o *sessionSet) {
	if o.hll == nil {
		for h := range o.exact {
			s.addHash(h)
		}
		return
	}
	if s.hll == nil {
		s.toHLL()
	}
	for i, r := range o.hll {
		s.hll[i] = max(s.hll[i], r)
	}
}

func (s sessionSet) clone() sessionSet {
	if s.exact != nil {
		s.exact = maps.Clone(s.exact)
	}
	s.hll = slices.Clone(s.hll)
	return s
}

// hash64 is FNV-1a followed by a splitmix64 finalizer: deterministic
// across runs, unlike maphash.
func hash64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9
	h = (h ^ (h >> 27)) * 0x94d049bb133111eb
	return h ^ (h >> 31)
}
