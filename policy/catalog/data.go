package catalog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// catalogData is the generated catalog: gzipped text, one record a line,
// fields separated by tabs:
//
//	iamsim-catalog  1                                   format version
//	source          PACKAGE  VERSION  UPDATED-AT
//	rcp             PREFIX,PREFIX,...                   services that support RCPs
//	S  PREFIX  NAME                                     a service; the records below belong to it
//	R  NAME  ARN-FORMAT  KEY,KEY,...                    a resource type
//	K  KEY  TYPE                                        a condition key
//	A  NAME  LEVELS  TYPE[*],TYPE,...  KEY,KEY,...       an action; * marks a required resource type
//
//go:embed catalog.txt.gz
var catalogData []byte

// data is the parsed catalog.
type data struct {
	version, updated string
	rcp              []string
	services         []*Service          // sorted by prefix
	byPrefix         map[string]*Service // lower-case prefix
	all              []*Action           // sorted by key
	// typesBySvc holds the resource types by the service field of their
	// ARN format (lower case); anySvcTypes those whose service field is a
	// placeholder.
	typesBySvc  map[string][]*ResourceType
	anySvcTypes []*ResourceType
}

var (
	loadOnce sync.Once
	loaded   *data
	loadErr  error
)

// get returns the catalog, parsing it on first use. The embedded data is
// part of the build, so a parse failure is a broken build and panics.
func get() *data {
	loadOnce.Do(func() { loaded, loadErr = parse(catalogData) })
	if loadErr != nil {
		panic("catalog: embedded data: " + loadErr.Error())
	}
	return loaded
}

var levelCodes = map[byte]AccessLevel{'L': List, 'R': Read, 'W': Write, 'P': PermissionsManagement, 'T': Tagging}

func parse(gz []byte) (*data, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	d := &data{byPrefix: map[string]*Service{}, typesBySvc: map[string][]*ResourceType{}}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var svc *Service
	line := 0
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		bad := func(want int) error {
			if len(f) != want {
				return fmt.Errorf("line %d: %d fields, want %d", line, len(f), want)
			}
			return nil
		}
		switch f[0] {
		case "iamsim-catalog":
			if err := bad(2); err != nil || f[1] != "1" {
				return nil, fmt.Errorf("line %d: unknown format %q", line, sc.Text())
			}
		case "source":
			if err := bad(4); err != nil {
				return nil, err
			}
			d.version, d.updated = f[2], f[3]
		case "rcp":
			if err := bad(2); err != nil {
				return nil, err
			}
			d.rcp = split(f[1])
		case "S":
			if err := bad(3); err != nil {
				return nil, err
			}
			svc = &Service{Prefix: f[1], Name: f[2], lower: strings.ToLower(f[1]), byName: map[string]*Action{}, resources: map[string]*ResourceType{}, keys: map[string]ConditionKey{}}
			d.services = append(d.services, svc)
			d.byPrefix[strings.ToLower(f[1])] = svc
		case "R", "K", "A":
			if svc == nil {
				return nil, fmt.Errorf("line %d: %s record before any service", line, f[0])
			}
			switch f[0] {
			case "R":
				if err := bad(4); err != nil {
					return nil, err
				}
				rt := &ResourceType{Service: svc.Prefix, Name: f[1], ARN: f[2], ConditionKeys: split(f[3])}
				_, rt.arnService, _ = arnService(f[2])
				if strings.Contains(rt.arnService, "$") {
					d.anySvcTypes = append(d.anySvcTypes, rt)
				} else {
					d.typesBySvc[rt.arnService] = append(d.typesBySvc[rt.arnService], rt)
				}
				svc.resourceList = append(svc.resourceList, rt)
				svc.resources[strings.ToLower(f[1])] = rt
			case "K":
				if err := bad(3); err != nil {
					return nil, err
				}
				k := ConditionKey{Name: f[1], Type: f[2]}
				svc.keyList = append(svc.keyList, k)
				svc.keys[strings.ToLower(f[1])] = k
			case "A":
				if err := bad(5); err != nil {
					return nil, err
				}
				a := &Action{Service: svc.Prefix, Name: f[1], ConditionKeys: split(f[4])}
				for i := 0; i < len(f[2]); i++ {
					l, ok := levelCodes[f[2][i]]
					if !ok {
						return nil, fmt.Errorf("line %d: unknown access level code %q", line, f[2][i])
					}
					a.AccessLevels = append(a.AccessLevels, l)
				}
				if len(a.AccessLevels) == 0 {
					return nil, fmt.Errorf("line %d: action %s without an access level", line, f[1])
				}
				for _, rt := range split(f[3]) {
					name, req := strings.CutSuffix(rt, "*")
					a.ResourceTypes = append(a.ResourceTypes, ResourceRef{Name: name, Required: req})
					// A service's resource types come before its actions.
					if rt, ok := svc.resources[strings.ToLower(name)]; ok {
						a.resources = append(a.resources, rt)
					}
				}
				a.full = svc.Prefix + ":" + a.Name
				a.lower = strings.ToLower(a.Name)
				a.key = strings.ToLower(a.full)
				svc.byName[a.lower] = a
				svc.actions = append(svc.actions, a)
				d.all = append(d.all, a)
			}
		default:
			return nil, fmt.Errorf("line %d: unknown record %q", line, f[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	sort.Slice(d.services, func(i, j int) bool { return d.services[i].Prefix < d.services[j].Prefix })
	for _, s := range d.services {
		sort.Slice(s.actions, func(i, j int) bool { return s.actions[i].Name < s.actions[j].Name })
	}
	sort.Slice(d.all, func(i, j int) bool { return d.all[i].key < d.all[j].key })
	if d.version == "" || len(d.services) == 0 {
		return nil, fmt.Errorf("no source line or no services")
	}
	return d, nil
}
