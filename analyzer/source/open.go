package source

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/schollz/progressbar/v3"
)

// progressMin is the input size from which a progress bar is shown.
const progressMin = 8 << 20

// input is one opened input: its decompressed content, its name without
// the compression suffix (for kind hints), and what to close.
type input struct {
	r io.Reader
	// head holds the first bytes of the decompressed content.
	head []byte
	// base is the name without .gz/.bz2/.zst, lower-cased.
	base  string
	comp  string
	close func() error
	bar   *progressbar.ProgressBar
}

// headSize is how much of an input is looked at to detect its kind.
const headSize = 64 << 10

// open opens name ("-" is stdin), detects compression by magic number and
// wraps the content with a decompressor and, when progress is non-nil
// and the file is large, a progress bar on the compressed bytes read.
func open(ctx context.Context, name string, stdin io.Reader, progress io.Writer) (*input, error) {
	in := &input{close: func() error { return nil }}
	var raw io.Reader
	var size int64 = -1
	if name == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		raw = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		if fi, err := f.Stat(); err == nil {
			if fi.IsDir() {
				f.Close()
				return nil, fmt.Errorf("is a directory")
			}
			size = fi.Size()
		}
		raw = f
		in.close = f.Close
	}
	if progress != nil && size >= progressMin {
		in.bar = progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription(filepath.Base(name)),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true),
		)
		raw = &countingReader{r: raw, bar: in.bar}
	}
	br := bufio.NewReaderSize(raw, 256<<10)
	magic, _ := br.Peek(4)
	in.base = strings.ToLower(filepath.Base(name))
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			in.close()
			return nil, fmt.Errorf("gzip: %w", err)
		}
		in.comp, in.r = "gzip", zr
	case bytes.HasPrefix(magic, []byte("BZh")) && len(magic) == 4 && magic[3] >= '1' && magic[3] <= '9':
		in.comp, in.r = "bzip2", bzip2.NewReader(br)
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			in.close()
			return nil, fmt.Errorf("zstd: %w", err)
		}
		in.comp, in.r = "zstd", zr.IOReadCloser()
		prev := in.close
		in.close = func() error { zr.Close(); return prev() }
	default:
		in.r = br
	}
	for _, ext := range []string{".gz", ".gzip", ".bz2", ".zst", ".zstd"} {
		in.base = strings.TrimSuffix(in.base, ext)
	}
	// Peek at the decompressed head without losing it.
	head := make([]byte, headSize)
	n, err := io.ReadFull(in.r, head)
	head = head[:n]
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		in.close()
		return nil, readErr(in.comp, err)
	}
	if err := ctx.Err(); err != nil {
		in.close()
		return nil, err
	}
	in.head = head
	in.r = io.MultiReader(bytes.NewReader(head), &errReader{r: in.r, comp: in.comp})
	return in, nil
}

func (in *input) finish() {
	if in.bar != nil {
		in.bar.Finish()
		in.bar.Exit()
	}
	in.close()
}

// countingReader moves a progress bar as bytes are read.
type countingReader struct {
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.bar.Add64(int64(n))
	}
	return n, err
}

// errReader names the decompressor in its errors.
type errReader struct {
	r    io.Reader
	comp string
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		err = readErr(e.comp, err)
	}
	return n, err
}

func readErr(comp string, err error) error {
	if comp == "" {
		return err
	}
	if err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%s: truncated compressed data", comp)
	}
	return fmt.Errorf("%s: %w", comp, err)
}
