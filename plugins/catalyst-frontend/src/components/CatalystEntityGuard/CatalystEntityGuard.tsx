import { ReactNode } from 'react';
import { MissingAnnotationEmptyState, useEntity } from '@backstage/plugin-catalog-react';
import { catalystNamesOf, CatalystEntityNames, isCatalystAvailable, requiredAnnotation } from '../../conditions';
import { CATALYST_ANNOTATIONS } from '@internal/plugin-catalyst-common';

export interface CatalystEntityGuardProps {
  children: (names: CatalystEntityNames) => ReactNode;
}

/**
 * Renders its children with the Catalyst names of the current entity, or the standard "missing
 * annotation" state when the entity lacks them (e.g. a hand-written entity of a Catalyst kind).
 */
export function CatalystEntityGuard(props: CatalystEntityGuardProps) {
  const { entity } = useEntity();
  if (!isCatalystAvailable(entity)) {
    const annotation = requiredAnnotation(entity) ?? CATALYST_ANNOTATIONS.application;
    return <MissingAnnotationEmptyState annotation={annotation} />;
  }
  return <>{props.children(catalystNamesOf(entity))}</>;
}
