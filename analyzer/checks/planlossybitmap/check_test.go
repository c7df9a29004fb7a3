package planlossybitmap

import (
	"testing"

	"github.com/pgadvisor/pgadvisor/analyzer/checks/internal/plantest"
)

func TestCheck(t *testing.T) {
	plantest.RunCases(t, Check, []plantest.Case{
		{File: "lossy_bitmap.txt", Want: []string{`^Bitmap Heap Scan on events lost precision on 4,638 of 5,173 heap blocks and rechecked 215,228 rows \| raise work_mem`}},
		{File: "lossy_bitmap.xml", Want: []string{`lost precision`}},
		{File: "exact_bitmap.txt"},
		{File: "bitmap_filter.txt"},
	})
}
