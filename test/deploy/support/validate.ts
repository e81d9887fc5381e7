// Offline validation of deployment manifests: render (kustomize subset), schema (kubernetes-models, plus the strict
// unknown-field check) and policy. Used by the specs in test/deploy/.
import { statSync } from 'node:fs';
import { type K8sObject, loadYamlObjects, renderKustomization } from './kustomize';
import { checkPolicy, type PolicyOptions } from './policy';
import { validateSchemas } from './schema';

export interface ValidationResult {
  objects: K8sObject[];
  schemaErrors: string[];
  policyErrors: string[];
  errors: string[];
}

export function validateObjects(objects: K8sObject[], options: PolicyOptions = {}): ValidationResult {
  const schemaErrors = validateSchemas(objects);
  const policyErrors = checkPolicy(objects, options);
  return { objects, schemaErrors, policyErrors, errors: [...schemaErrors, ...policyErrors] };
}

/** Validates a kustomization directory (rendered) or a single manifest file. */
export function validatePath(path: string, options: PolicyOptions = {}): ValidationResult {
  const objects = statSync(path).isDirectory() ? renderKustomization(path) : loadYamlObjects(path);
  return validateObjects(objects, options);
}
