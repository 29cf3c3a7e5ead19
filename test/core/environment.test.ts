import { App, Chart } from 'cdk8s';
import { Environment, WebService } from '../../lib';

describe('Environment', () => {
  test('an environment not in the list is refused', () => {
    expect(() => new Environment(new App(), 'qa', { name: 'qa', environments: ['prod'] })).toThrow(
      'qa: name is not one of the environments [prod] (got "qa"); add it to environments or pick one of them',
    );
  });

  test('an app construct outside an Environment is refused', () => {
    const chart = new Chart(new App(), 'services', { namespace: 'shop' });
    expect(() => new WebService(chart, 'api', { image: 'shop/api:1.0.0' })).toThrow(
      'services/api: scope is not inside an Environment; create the construct under an Environment (synthServiceRepo and buildClusterApp make one per environment)',
    );
  });
});
