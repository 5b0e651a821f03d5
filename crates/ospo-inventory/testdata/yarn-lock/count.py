import re,sys
for f in sys.argv[1:]:
    lines=open(f).read().split('\n'); ents=[]; cur=None
    for i,l in enumerate(lines,1):
        if l and not l[0] in ' #' and l.endswith(':'):
            if l=='__metadata:': cur=None; continue
            cur={'h':l[:-1],'line':i}; ents.append(cur)
        elif cur is not None and re.match(r'^  (version|resolution):? ',l):
            k,v=re.match(r'^  (\w+):? "?([^"]*)"?$',l).groups(); cur[k]=v
    ids=set()
    for e in ents:
        if 'resolution' in e:
            r=e['resolution']; i=r.rindex('@',1) if False else r.index('@',1); n=r[:i]
        else:
            d=e['h'].split(',')[0].strip().strip('"'); n=d[:d.index('@',1)]
            rng=d[d.index('@',1)+1:]
            if rng.startswith('npm:'): x=rng[4:]; n=x[:x.index('@',1)]
        ids.add((n,e.get('version')))
    print(f,len(ents),len(ids))
