// The offline kustomize renderer agrees with kustomize: against a recorded `kubectl kustomize` output of a fixture
// exercising every supported feature, and against a live `kubectl kustomize` where kubectl is installed.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { type K8sObject, loadYamlObjects, objectId, parseImage, renderKustomization, renderWithKubectl, repoPath } from './support/kustomize';

const features = repoPath('test/deploy/fixtures/kustomize-features');

function expectSameObjects(actual: K8sObject[], expected: K8sObject[]): void {
  const byId = (objects: K8sObject[]) => new Map(objects.map((o) => [objectId(o), o]));
  const a = byId(actual);
  const e = byId(expected);
  expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
  for (const [id, o] of a) if (!isDeepStrictEqual(o, e.get(id))) expect({ id, object: o }).toEqual({ id, object: e.get(id) });
}

describe('offline kustomize renderer', () => {
  it('matches the recorded kustomize output for every supported feature', () => {
    expectSameObjects(renderKustomization(join(features, 'overlay')), loadYamlObjects(join(features, 'expected.yaml')));
  });

  const live = renderWithKubectl(join(features, 'overlay'));
  (live ? it : it.skip)('matches a live `kubectl kustomize`', () => {
    expectSameObjects(renderKustomization(join(features, 'overlay')), live ?? []);
  });

  it('orders merged list elements as kustomize does: patch order first, then the untouched base elements', () => {
    const web = renderKustomization(join(features, 'overlay')).find((o) => o.kind === 'Deployment');
    const containers = (web?.spec as { template: { spec: { containers: Array<{ name: string; env?: Array<{ name: string }> }> } } })
      .template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['three', 'one', 'two']);
    expect(containers[1].env?.map((e) => e.name)).toEqual(['C', 'A', 'B']);
  });

  it.each([
    ['example/web', { name: 'example/web' }],
    ['example/web:1.0', { name: 'example/web', tag: '1.0' }],
    ['registry.local:5000/example/side', { name: 'registry.local:5000/example/side' }],
    ['registry.local:5000/side:v1@sha256:ab', { name: 'registry.local:5000/side', tag: 'v1', digest: 'sha256:ab' }],
  ])('parses image reference %s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });

  it('renders the real overlays', () => {
    for (const dir of ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/production']) {
      expect(renderKustomization(repoPath(dir)).length).toBeGreaterThan(20);
    }
  });
});
