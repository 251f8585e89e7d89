#!/usr/bin/env python3
"""A rough model of how long `mvn -T N verify` takes on 2 cores, from one run's Surefire reports.

Not a test and not run by anything: docs/tooling.md ("Where the time goes") quotes its estimates. Input: a checkout
whose */target/surefire-reports come from a full run, and that run's Maven log (for the order each module's classes
ran in). Each module's classes run on two forks taking the next class from one list; Maven starts a module when
the modules it depends on are built (tests included) and a thread is free; each running class needs some CPU
(cores) per second of its class time in the reports, and when the running classes need more than 2 cores all
slow down evenly. MultiServicePropertiesTest is given its own duration and CPU (its two lanes).

  tools/test-time/schedule_model.py CHECKOUT MAVEN_LOG
"""
import glob
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

DEPENDS = {'shared': [], 'engine-tests': ['shared'], 'functions': ['shared'], 'launcher': ['shared'],
           'local-runtime': ['functions']}
PROPERTY_TEST = 'dev.awshitbreaks.engine.MultiServicePropertiesTest'


def load(checkout, log):
    times, module_of = {}, {}
    for f in glob.glob(checkout + '/*/target/surefire-reports/TEST-*.xml'):
        r = ET.parse(f).getroot()
        if r.get('name').endswith('LambdaArtifactCheck'):  # run by scripts/lint, not by mvn verify
            continue
        times[r.get('name')] = float(r.get('time'))
        module_of[r.get('name')] = f[len(checkout):].strip('/').split('/')[0]
    order = defaultdict(list)
    for line in open(log):
        m = re.search(r'Running (dev\.awshitbreaks\.\S+)', line)
        if m and m.group(1) in times and m.group(1) not in order[module_of[m.group(1)]]:
            order[module_of[m.group(1)]].append(m.group(1))
    return times, order


def run(times, order, threads, apart, property_test, cpu, compile_s=45, engine_order=None, cores=2.0, forks=2):
    """Seconds from the start of the reactor to its end; property_test = (seconds at full speed, cores)."""
    reactor = ['shared', 'engine-tests', 'functions', 'local-runtime', 'launcher']
    queues = {m: [(times[c], cpu[m]) for c in order[m]] for m in ('functions', 'local-runtime', 'launcher')}
    engine = [property_test if c == PROPERTY_TEST else (times[c], cpu['shared'])
              for c in (engine_order(order['shared']) if engine_order else order['shared'])]
    queues['shared'], queues['engine-tests'] = ([], engine) if apart else (engine, [])
    modules = [m for m in reactor if m in queues and (apart or m != 'engine-tests')]
    done, started, running_classes = {}, {}, {m: [] for m in modules}
    pending = {m: list(queues[m]) for m in modules}
    compiling = {m: (compile_s if m == 'shared' else 3.0) for m in modules}
    t, dt = 0.0, 0.5
    while len(done) < len(modules):
        running = [m for m in modules if m in started and m not in done]
        for m in modules:
            if m not in started and len(running) < threads and all(d in done for d in DEPENDS[m]):
                started[m] = t
                running.append(m)
        demand = 0.0
        for m in running:
            if compiling[m] > 0:
                demand += 1
                continue
            while len(running_classes[m]) < forks and pending[m]:
                running_classes[m].append(pending[m].pop(0))
            demand += sum(c for _, c in running_classes[m])
        speed = min(1.0, cores / demand) if demand else 1.0
        for m in running:
            if compiling[m] > 0:
                compiling[m] -= dt * speed
                continue
            running_classes[m] = [(w - dt * speed, c) for w, c in running_classes[m] if w - dt * speed > 0]
            if not running_classes[m] and not pending[m]:
                done[m] = t
        t += dt
    return t, {m: (round(started[m]), round(done[m])) for m in modules}


if __name__ == '__main__':
    times, order = load(sys.argv[1], sys.argv[2])
    print({m: (len(cs), round(sum(times[c] for c in cs))) for m, cs in order.items()})
    slow = dict(times=times, order=order)
    for cpu in ({'shared': .25, 'launcher': .35, 'local-runtime': .4, 'functions': .5},
                {'shared': .35, 'launcher': .5, 'local-runtime': .55, 'functions': .6}):
        print('CPU per class second', cpu)
        print('  as run (-T 2, shared tests first, property test 555 s at 0.7 cores):',
              run(threads=2, apart=False, property_test=(times[PROPERTY_TEST], .7), cpu=cpu, **slow))
        for threads in (2, 3):
            for name, eo in (('filesystem order', None), ('reverse alphabetical', lambda cs: sorted(cs, reverse=True))):
                print('  -T %d, engine-tests apart, %s, property test 360 s at 1.05 cores:' % (threads, name),
                      run(threads=threads, apart=True, property_test=(360, 1.05), cpu=cpu, engine_order=eo, **slow))
