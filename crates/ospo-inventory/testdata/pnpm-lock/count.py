import yaml,sys,re
for f in sys.argv[1:]:
    d=yaml.load(open(f),Loader=yaml.CSafeLoader if hasattr(yaml,'CSafeLoader') else yaml.SafeLoader)
    v=str(d['lockfileVersion']); p=d.get('packages',{})
    ids=set()
    for k,e in p.items():
        k2=re.sub(r'\(.*','',k).lstrip('/')
        if 'name' in e:
            n,ver=e['name'],''
        elif v.startswith('5'):
            n,ver=k2.rsplit('/',1); ver=ver.split('_')[0]
        else:
            i=k2.rindex('@',1); n,ver=k2[:i],k2[i+1:]
        n=e.get('name',n); ver=e.get('version', ver if ver[:1].isdigit() and ':' not in ver else None)
        ids.add((n,ver))
    dev=sum(1 for e in p.values() if e.get('dev') is True)
    print(f, v, len(p), len(ids), 'importers', len(d.get('importers',{})), 'dev', dev)
