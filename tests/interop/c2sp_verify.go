// c2sp_verify checks cofund's signed notes, tlog-proof@v1 files and
// consistency proofs with an independent implementation: the Go reference
// packages golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog.
//
// It is a standalone program for Go 1.19 in GOPATH mode (no go.mod); the
// test that runs it sets GO111MODULE=off and GOPATH to where the packages
// are installed.
//
// Usage:
//
//	c2sp_verify note VKEY FILE
//	c2sp_verify inclusion VKEY PROOFFILE LEAFHEX
//	c2sp_verify consistency OLDSIZE OLDROOTB64 NEWSIZE NEWROOTB64 [PROOFB64...]
//	c2sp_verify cosig WITNESS FILE
//	c2sp_verify fork VKEY FILE
//
// note: FILE is a signed note; it must carry a valid signature by VKEY.
// inclusion: PROOFFILE is a c2sp.org/tlog-proof@v1 text; its checkpoint must
// be signed by VKEY and its proof must show that the leaf whose RFC 6962
// leaf hash is LEAFHEX (64 hex digits) sits at its index in that tree.
// consistency: the RFC 6962 consistency proof (one base64 hash per argument)
// must link the old tree head to the new one.
// cosig: FILE is a signed checkpoint; it must carry a c2sp.org/tlog-cosignature
// cosignature/v1 line by the witness whose key name is WITNESS, a cofund
// feed origin (cofund/<net16>/<hex key>): the key ID is the first 4 bytes of
// SHA-256(name || "\n" || 0x04 || key), the signature bytes an 8-byte
// big-endian timestamp then the Ed25519 signature of
// "cosignature/v1\ntime <timestamp>\n" || the note text. Written here from
// the specification with Go's standard library (x/mod/sumdb/note has no
// cosignature/v1 support).
//
// fork: FILE is the "proof" object of one row of `cofund forks --format json`
// (a located fork proof: docs/format.md "Fork proofs"): both notes must be
// signed by VKEY, the root of the first `point` entries must extend to both
// checkpoints' trees (tlog.CheckTree), and the two different leaf hashes
// must sit at index `point` in them (tlog.CheckRecord): the author signed
// two histories that part exactly there.
//
// Exit status: 0 verified, 1 verification failed, 2 usage or input error.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

const usage = `usage:
  c2sp_verify note VKEY FILE
  c2sp_verify inclusion VKEY PROOFFILE LEAFHEX
  c2sp_verify consistency OLDSIZE OLDROOTB64 NEWSIZE NEWROOTB64 [PROOFB64...]
  c2sp_verify cosig WITNESS FILE
  c2sp_verify fork VKEY FILE
`

// usageError marks bad arguments or unreadable input (exit 2) as opposed to
// a verification failure (exit 1).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(exitUsage)
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "note":
		err = cmdNote(args)
	case "inclusion":
		err = cmdInclusion(args)
	case "consistency":
		err = cmdConsistency(args)
	case "cosig":
		err = cmdCosig(args)
	case "fork":
		err = cmdFork(args)
	default:
		err = usageError{fmt.Errorf("unknown command %q\n%s", os.Args[1], usage)}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "c2sp_verify: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(exitUsage)
		}
		os.Exit(exitFailed)
	}
	os.Exit(exitOK)
}

// openNote verifies msg with the verifier key vkey and returns its text.
func openNote(vkey string, msg []byte) (string, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return "", usageError{fmt.Errorf("verifier key: %v", err)}
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return "", fmt.Errorf("signed note: %v", err)
	}
	return n.Text, nil
}

func cmdNote(args []string) error {
	if len(args) != 2 {
		return usageError{errors.New("note: want VKEY FILE")}
	}
	msg, err := os.ReadFile(args[1])
	if err != nil {
		return usageError{err}
	}
	text, err := openNote(args[0], msg)
	if err != nil {
		return err
	}
	fmt.Printf("ok: note verified (%d bytes of text)\n", len(text))
	return nil
}

// checkpoint is the parsed text of a tlog-checkpoint note.
type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// parseCheckpoint reads origin, size and root; extension lines are allowed.
func parseCheckpoint(text string) (checkpoint, error) {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return checkpoint{}, errors.New("checkpoint: too few lines")
	}
	origin := strings.TrimSuffix(lines[0], "\n")
	sizeText := strings.TrimSuffix(lines[1], "\n")
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if origin == "" || err != nil || size < 0 || strconv.FormatInt(size, 10) != sizeText {
		return checkpoint{}, errors.New("checkpoint: bad origin or size")
	}
	root, err := tlog.ParseHash(strings.TrimSuffix(lines[2], "\n"))
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint: root: %v", err)
	}
	for _, ext := range lines[3 : len(lines)-1] {
		if ext == "\n" {
			return checkpoint{}, errors.New("checkpoint: empty extension line")
		}
	}
	return checkpoint{origin, size, root}, nil
}

// proof is a parsed c2sp.org/tlog-proof@v1 text.
type proof struct {
	index      int64
	hashes     tlog.RecordProof
	checkpoint []byte
}

func parseProof(data []byte) (proof, error) {
	var p proof
	rest := data
	next := func() (string, bool) {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return "", false
		}
		line := string(rest[:i])
		rest = rest[i+1:]
		return line, true
	}
	line, ok := next()
	if !ok || line != "c2sp.org/tlog-proof@v1" {
		return p, errors.New("tlog-proof: bad header line")
	}
	if line, ok = next(); ok && strings.HasPrefix(line, "extra ") {
		if _, err := base64.StdEncoding.Strict().DecodeString(line[len("extra "):]); err != nil {
			return p, fmt.Errorf("tlog-proof: extra: %v", err)
		}
		line, ok = next()
	}
	if !ok || !strings.HasPrefix(line, "index ") {
		return p, errors.New("tlog-proof: missing index line")
	}
	idxText := line[len("index "):]
	idx, err := strconv.ParseInt(idxText, 10, 64)
	if err != nil || idx < 0 || strconv.FormatInt(idx, 10) != idxText {
		return p, errors.New("tlog-proof: bad index")
	}
	p.index = idx
	for {
		line, ok = next()
		if !ok {
			return p, errors.New("tlog-proof: missing blank line")
		}
		if line == "" {
			break
		}
		h, err := tlog.ParseHash(line)
		if err != nil {
			return p, fmt.Errorf("tlog-proof: hash %d: %v", len(p.hashes), err)
		}
		p.hashes = append(p.hashes, h)
	}
	p.checkpoint = rest
	return p, nil
}

func cmdInclusion(args []string) error {
	if len(args) != 3 {
		return usageError{errors.New("inclusion: want VKEY PROOFFILE LEAFHEX")}
	}
	data, err := os.ReadFile(args[1])
	if err != nil {
		return usageError{err}
	}
	leafBytes, err := hex.DecodeString(args[2])
	if err != nil || len(leafBytes) != tlog.HashSize {
		return usageError{errors.New("inclusion: LEAFHEX must be 64 hex digits")}
	}
	var leaf tlog.Hash
	copy(leaf[:], leafBytes)
	p, err := parseProof(data)
	if err != nil {
		return err
	}
	text, err := openNote(args[0], p.checkpoint)
	if err != nil {
		return err
	}
	c, err := parseCheckpoint(text)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(p.hashes, c.size, c.root, p.index, leaf); err != nil {
		return fmt.Errorf("inclusion: %v", err)
	}
	fmt.Printf("ok: leaf %d included in %s at size %d\n", p.index, c.origin, c.size)
	return nil
}

func cmdConsistency(args []string) error {
	if len(args) < 4 {
		return usageError{errors.New("consistency: want OLDSIZE OLDROOTB64 NEWSIZE NEWROOTB64 [PROOFB64...]")}
	}
	oldSize, err1 := strconv.ParseInt(args[0], 10, 64)
	oldRoot, err2 := tlog.ParseHash(args[1])
	newSize, err3 := strconv.ParseInt(args[2], 10, 64)
	newRoot, err4 := tlog.ParseHash(args[3])
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return usageError{fmt.Errorf("consistency: %v", err)}
		}
	}
	var pr tlog.TreeProof
	for i, s := range args[4:] {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return usageError{fmt.Errorf("consistency: proof hash %d: %v", i, err)}
		}
		pr = append(pr, h)
	}
	if err := tlog.CheckTree(pr, newSize, newRoot, oldSize, oldRoot); err != nil {
		return fmt.Errorf("consistency: %v", err)
	}
	fmt.Printf("ok: size %d is consistent with size %d\n", oldSize, newSize)
	return nil
}

// cmdCosig checks the cosignature/v1 line of witness args[0] on the note in
// file args[1].
func cmdCosig(args []string) error {
	if len(args) != 2 {
		return usageError{errors.New("cosig: want WITNESS FILE")}
	}
	name := args[0]
	pk, err := hex.DecodeString(name[strings.LastIndex(name, "/")+1:])
	if err != nil || len(pk) != ed25519.PublicKeySize {
		return usageError{fmt.Errorf("cosig: %q does not end in a 64-hex key", name)}
	}
	msg, err := os.ReadFile(args[1])
	if err != nil {
		return usageError{err}
	}
	sep := bytes.Index(msg, []byte("\n\n"))
	if sep < 0 {
		return errors.New("cosig: not a signed note (no blank line)")
	}
	text := msg[:sep+1]
	id := sha256.Sum256(append([]byte(name+"\n\x04"), pk...))
	for _, line := range strings.Split(string(msg[sep+2:]), "\n") {
		fields := strings.Fields(strings.TrimPrefix(line, "\u2014 "))
		if !strings.HasPrefix(line, "\u2014 ") || len(fields) != 2 || fields[0] != name {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(fields[1])
		if err != nil || len(sig) != 4+8+ed25519.SignatureSize || !bytes.Equal(sig[:4], id[:4]) {
			continue // another key under the same name, or not a cosignature/v1
		}
		ts := binary.BigEndian.Uint64(sig[4:12])
		signed := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", ts)), text...)
		if !ed25519.Verify(ed25519.PublicKey(pk), signed, sig[12:]) {
			return fmt.Errorf("cosig: the cosignature of %s does not verify", name)
		}
		fmt.Printf("ok: cosignature/v1 by %s, time %d\n", name, ts)
		return nil
	}
	return fmt.Errorf("cosig: no cosignature/v1 line by %s", name)
}

// forkProof is a located fork proof as `cofund forks --format json` prints it.
type forkProof struct {
	A            string   `json:"a"`
	B            string   `json:"b"`
	Point        int64    `json:"point"`
	Root         string   `json:"root"`
	ConsistencyA []string `json:"consistency_a"`
	ConsistencyB []string `json:"consistency_b"`
	LeafA        string   `json:"leaf_a"`
	LeafB        string   `json:"leaf_b"`
	InclusionA   []string `json:"inclusion_a"`
	InclusionB   []string `json:"inclusion_b"`
}

func parseHashes(what string, in []string) ([]tlog.Hash, error) {
	var out []tlog.Hash
	for i, s := range in {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return nil, usageError{fmt.Errorf("fork: %s[%d]: %v", what, i, err)}
		}
		out = append(out, h)
	}
	return out, nil
}

// forkSide checks one history: its note is signed by vkey, the prefix
// (point, root) extends to its tree, and leaf sits at index point in it.
func forkSide(name, vkey, msg string, point int64, root tlog.Hash, cons, incl []string,
	leaf tlog.Hash) error {
	text, err := openNote(vkey, []byte(msg))
	if err != nil {
		return fmt.Errorf("fork: checkpoint %s: %v", name, err)
	}
	c, err := parseCheckpoint(text)
	if err != nil {
		return fmt.Errorf("fork: checkpoint %s: %v", name, err)
	}
	if point >= c.size {
		return fmt.Errorf("fork: point %d is not an entry of checkpoint %s (size %d)", point, name, c.size)
	}
	cp, err := parseHashes("consistency_"+name, cons)
	if err != nil {
		return err
	}
	if point > 0 {
		if err := tlog.CheckTree(tlog.TreeProof(cp), c.size, c.root, point, root); err != nil {
			return fmt.Errorf("fork: prefix of %d does not extend to %s: %v", point, name, err)
		}
	} else if len(cp) != 0 {
		return fmt.Errorf("fork: a consistency proof from the empty tree")
	}
	ip, err := parseHashes("inclusion_"+name, incl)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(tlog.RecordProof(ip), c.size, c.root, point, leaf); err != nil {
		return fmt.Errorf("fork: leaf %d is not in %s: %v", point, name, err)
	}
	return nil
}

func cmdFork(args []string) error {
	if len(args) != 2 {
		return usageError{errors.New("fork: want VKEY FILE")}
	}
	data, err := os.ReadFile(args[1])
	if err != nil {
		return usageError{err}
	}
	var fp forkProof
	if err := json.Unmarshal(data, &fp); err != nil {
		return usageError{fmt.Errorf("fork: %v", err)}
	}
	root, err1 := tlog.ParseHash(fp.Root)
	la, err2 := tlog.ParseHash(fp.LeafA)
	lb, err3 := tlog.ParseHash(fp.LeafB)
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return usageError{fmt.Errorf("fork: %v", err)}
		}
	}
	if la == lb {
		return errors.New("fork: the same leaf in both histories: no fork shown")
	}
	if err := forkSide("a", args[0], fp.A, fp.Point, root, fp.ConsistencyA, fp.InclusionA, la); err != nil {
		return err
	}
	if err := forkSide("b", args[0], fp.B, fp.Point, root, fp.ConsistencyB, fp.InclusionB, lb); err != nil {
		return err
	}
	fmt.Printf("ok: the two signed histories share %d entries and differ at entry %d\n", fp.Point, fp.Point)
	return nil
}
