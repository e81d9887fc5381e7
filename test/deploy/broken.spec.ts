// Proof that a broken manifest fails CI: every fixture in test/deploy/fixtures/broken/k8s is rejected, for its reason.
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { type K8sObject, KustomizeError, loadYamlObjects, renderKustomization, repoPath } from './support/kustomize';
import { validateWithModels } from './support/schema';
import { validatePath } from './support/validate';

const fixtures = repoPath('test/deploy/fixtures/broken/k8s');
const fixture = (file: string) => join(fixtures, file);

describe('broken manifests are rejected', () => {
  it('misspelled `containers`: schema error and unknown field', () => {
    const { schemaErrors } = validatePath(fixture('misspelled-containers.yaml'));
    expect(schemaErrors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('spec/template/spec must have required property containers'),
        'Deployment/misspelled-containers: spec.template.spec.contianers: unknown field (did you mean "containers"?)',
      ]),
    );
  });

  it('misspelled `readinessProbe`: kubernetes-models alone accepts it, the strict check and the policy do not', () => {
    const [deployment] = loadYamlObjects(fixture('misspelled-probe.yaml'));
    // Why the strict walker exists: the package's validator ignores unknown properties.
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    expect(validateWithModels(deployment)).toEqual([]);

    const { schemaErrors, policyErrors } = validatePath(fixture('misspelled-probe.yaml'));
    expect(schemaErrors).toEqual([
      'Deployment/misspelled-probe: spec.template.spec.containers[0].readinesProbe: unknown field (did you mean "readinessProbe"?)',
    ]);
    expect(policyErrors).toContain('Deployment/misspelled-probe container "app": no readinessProbe');
  });

  it('no probes, no resources, root, writable root fs, :latest, no PDB: policy errors (the schema is valid)', () => {
    const { schemaErrors, policyErrors } = validatePath(fixture('no-probes.yaml'));
    expect(schemaErrors).toEqual([]);
    const c = 'Deployment/no-probes container "app"';
    expect(policyErrors).toEqual(
      expect.arrayContaining([
        `${c}: no livenessProbe`,
        `${c}: no readinessProbe`,
        `${c}: no resources.requests.cpu`,
        `${c}: no resources.limits.memory`,
        `${c}: runAsNonRoot is not true`,
        `${c}: readOnlyRootFilesystem is not true`,
        `${c}: allowPrivilegeEscalation is not false`,
        `${c}: capabilities do not drop ALL`,
        `${c}: image "parley/api-gateway:latest" has no pinned tag`,
        'Deployment/no-probes: no PodDisruptionBudget selects its pods',
        'namespace "(none)": no default-deny NetworkPolicy for Ingress and Egress',
      ]),
    );
  });

  it('wrong types: integer port given as a string, a quantity that is not one', () => {
    const { schemaErrors } = validatePath(fixture('wrong-type.yaml'));
    expect(schemaErrors).toEqual([expect.stringContaining('containerPort must be integer')]);
    expect(schemaErrors[0]).toContain('memory must match format "quantity"');
  });

  it('an HPA whose target does not exist', () => {
    const { schemaErrors, policyErrors } = validatePath(fixture('orphan-hpa.yaml'));
    expect(schemaErrors).toEqual([]);
    expect(policyErrors).toEqual([
      'HorizontalPodAutoscaler/orphan-hpa: scaleTargetRef apps/v1 Deployment/ghost does not exist',
    ]);
  });

  it('a Service that selects no pods', () => {
    const { schemaErrors, policyErrors } = validatePath(fixture('orphan-service.yaml'));
    expect(schemaErrors).toEqual([]);
    expect(policyErrors).toEqual(["Service/orphan-service: selects no Deployment's or StatefulSet's pods"]);
  });

  it('the whole fixture directory, rendered as a kustomization, fails', () => {
    const { objects, errors } = validatePath(fixtures);
    expect(objects.every((o: K8sObject) => o.metadata.namespace === 'broken')).toBe(true);
    expect(errors.length).toBeGreaterThan(20);
  });

  it('an unknown kind or apiVersion is rejected, not skipped', () => {
    const bogus = { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } } as K8sObject;
    expect(validateWithModels(bogus)).toEqual(['Deploymnet/x: apps/v1 Deploymnet is not a Kubernetes kind known to kubernetes-models']);
    const crd = { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'x' } } as K8sObject;
    expect(validateWithModels(crd)).toHaveLength(1);
  });
});

describe('the offline renderer refuses what it does not implement', () => {
  it('rejects an unsupported kustomization field instead of ignoring it', () => {
    expect(() => renderKustomization(repoPath('test/deploy/fixtures/unsupported-kustomize'))).toThrow(
      new KustomizeError(
        `${repoPath('test/deploy/fixtures/unsupported-kustomize/kustomization.yaml')}: field "commonLabels" is not supported by the offline renderer`,
      ),
    );
  });
});
